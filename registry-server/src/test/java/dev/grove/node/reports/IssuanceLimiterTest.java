package dev.grove.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IssuanceLimiterTest {

    static final long SECOND = 1_000_000_000L;
    final AtomicLong clock = new AtomicLong(42 * SECOND);

    IssuanceLimiter limiter(int burst, int perHour, Duration rotation) {
        return new IssuanceLimiter(new ReportSettings(20, burst, perHour, rotation), clock::get);
    }

    @Test
    void burstThenRefillAtTheHourlyRate() {
        IssuanceLimiter limiter = limiter(3, 60, Duration.ofHours(1));
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.acquire("192.0.2.1")).isEqualTo(60); // one a minute
        clock.addAndGet(30 * SECOND);
        assertThat(limiter.acquire("192.0.2.1")).isEqualTo(30);
        clock.addAndGet(30 * SECOND);
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.acquire("192.0.2.2")).as("another client has its own bucket").isZero();
    }

    @Test
    void rotationForgetsEveryClient() {
        IssuanceLimiter limiter = limiter(1, 1, Duration.ofMinutes(10));
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.acquire("192.0.2.1")).isPositive();
        assertThat(limiter.tracked()).isEqualTo(1);
        clock.addAndGet(10 * 60 * SECOND);
        assertThat(limiter.acquire("192.0.2.1")).isZero();
        assertThat(limiter.tracked()).isEqualTo(1);
    }

    @Test
    void ipv6CountsByItsSlash64AndMappedIpv4ByItsAddress() {
        IssuanceLimiter limiter = limiter(1, 1, Duration.ofHours(1));
        assertThat(limiter.acquire("2001:db8:1:2::1")).isZero();
        assertThat(limiter.acquire("2001:db8:1:2:ffff::9")).as("same /64").isPositive();
        assertThat(limiter.acquire("2001:db8:1:3::1")).as("another /64").isZero();
        assertThat(limiter.acquire("::ffff:192.0.2.7")).isZero();
        assertThat(limiter.acquire("::ffff:192.0.2.8")).as("mapped IPv4 addresses are distinct clients").isZero();
        assertThat(limiter.acquire("192.0.2.7")).as("and the same client as the plain address").isPositive();
    }
}
