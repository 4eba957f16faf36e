package dev.grove.node.reports;

import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Rate-limits token issuance per client without keeping who asked: one token bucket per client, found under an HMAC of
 * the client's address keyed with a random secret that exists only in this object's memory. When the secret rotates (every
 * {@code rotation}, or early when too many clients are tracked) every bucket is dropped with it, so no mapping from an
 * address to anything outlives one rotation, and nothing is ever written or logged. An IPv6 address counts by its /64
 * prefix (one host usually holds the whole prefix).
 *
 * <p>Thread-safe (the verticle instances share one limiter); the critical section is a hash and a map lookup.
 */
final class IssuanceLimiter {

    /** Beyond this many tracked clients the secret rotates early, which bounds the memory used. */
    static final int MAX_CLIENTS = 100_000;

    private final int burst;
    private final double tokensPerNano;
    private final long rotationNanos;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Key, Bucket> buckets = new HashMap<>();
    private HMac mac;
    private long rotateAt;

    IssuanceLimiter(ReportSettings settings, LongSupplier nanoClock) {
        this.burst = settings.tokenBurst();
        this.tokensPerNano = settings.tokensPerHour() / 3600e9;
        this.rotationNanos = settings.limiterRotation().toNanos();
        this.nanoClock = nanoClock;
        rotate(nanoClock.getAsLong());
    }

    /**
     * Takes one token for the client at {@code address}.
     *
     * @return 0 when the client may have a token now, else the whole seconds until it may ask again
     */
    synchronized long acquire(String address) {
        long now = nanoClock.getAsLong();
        if (now - rotateAt >= 0 || buckets.size() >= MAX_CLIENTS) {
            rotate(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key(address), k -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * tokensPerNano);
        bucket.updated = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tokensPerNano / 1e9));
    }

    /** How many clients are tracked now (for tests). */
    synchronized int tracked() {
        return buckets.size();
    }

    private void rotate(long now) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(secret));
        java.util.Arrays.fill(secret, (byte) 0);
        buckets.clear();
        rotateAt = now + rotationNanos;
    }

    private Key key(String address) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        byte[] input = bytes == null ? address.getBytes(StandardCharsets.UTF_8)
                : bytes.length == 16 && isIpv4Mapped(bytes) ? java.util.Arrays.copyOfRange(bytes, 12, 16)
                : bytes.length == 16 ? java.util.Arrays.copyOf(bytes, 8) : bytes;
        byte[] out = new byte[mac.getMacSize()];
        mac.update(input, 0, input.length);
        mac.doFinal(out, 0);
        long a = 0;
        long b = 0;
        for (int i = 0; i < 8; i++) {
            a = a << 8 | (out[i] & 0xff);
            b = b << 8 | (out[8 + i] & 0xff);
        }
        return new Key(a, b);
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    /** 128 bits of the keyed hash: collisions between clients are negligible. */
    private record Key(long a, long b) {
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
