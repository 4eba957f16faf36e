package dev.grove.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which address a request comes from, given its connection's and its X-Forwarded-For headers. */
class TrustedProxiesTest {

    static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    @ParameterizedTest(name = "{0} with [{1}] is {2}")
    @CsvSource(delimiter = '|', value = {
            // not a proxy: its own address, whatever it says
            "203.0.113.9 | 198.51.100.1            | 203.0.113.9",
            // a proxy: the rightmost untrusted address
            "10.1.2.3    | 198.51.100.1            | 198.51.100.1",
            "10.1.2.3    | 1.1.1.1, 198.51.100.1   | 198.51.100.1",
            "10.1.2.3    | 198.51.100.1, 10.9.9.9  | 198.51.100.1",
            "192.168.1.7 | 1.1.1.1, 198.51.100.1, 10.0.0.1, 192.168.1.7 | 198.51.100.1",
            // only 192.168.1.7 of its /24 is trusted
            "192.168.1.7 | 192.168.1.8             | 192.168.1.8",
            // every hop trusted: the leftmost
            "10.1.2.3    | 10.0.0.5, 10.0.0.6      | 10.0.0.5",
            // no header from a proxy: the proxy's own address
            "10.1.2.3    | ''                      | 10.1.2.3",
            // not an address (a name is never resolved): the last trusted hop before it
            "10.1.2.3    | 198.51.100.1, example.org | 10.1.2.3",
            "10.1.2.3    | 198.51.100.1:4711       | 10.1.2.3",
            // IPv6, bracketed, and IPv4-mapped addresses
            "fd12::1     | 2001:db8::1             | 2001:db8::1",
            "fd12::1     | [2001:db8::2]           | 2001:db8::2",
            "::ffff:10.0.0.1 | 198.51.100.7        | 198.51.100.7",
            "10.1.2.3    | ::ffff:198.51.100.8     | 198.51.100.8",
            "0:0:0:0:0:0:0:1 | 198.51.100.1        | ::1",
    })
    void theClientAddress(String peer, String forwardedFor, String client) {
        assertThat(PROXIES.clientAddress(peer, forwardedFor.isEmpty() ? List.of() : List.of(forwardedFor)))
                .isEqualTo(client);
    }

    @Test
    void severalHeaders_readInOrder_asOneList() {
        assertThat(PROXIES.clientAddress("10.1.2.3", List.of("1.1.1.1, 198.51.100.1", "10.0.0.9")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void noProxies_neverReadTheHeader() {
        assertThat(TrustedProxies.none().clientAddress("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("10.1.2.3");
        assertThat(TrustedProxies.none().clientAddress("", List.of("198.51.100.1"))).isEmpty();
    }

    @Test
    void prefixBits_cutInsideAByte() {
        TrustedProxies p = TrustedProxies.of(List.of("172.16.0.0/12"));
        assertThat(p.trusts("172.31.255.255")).isTrue();
        assertThat(p.trusts("172.32.0.0")).isFalse();
        assertThat(p.trusts("172.15.255.255")).isFalse();
        TrustedProxies eleven = TrustedProxies.of(List.of("10.96.0.0/11"));
        assertThat(eleven.trusts("10.96.0.0")).isTrue();
        assertThat(eleven.trusts("10.127.255.255")).isTrue();
        assertThat(eleven.trusts("10.128.0.0")).isFalse();
        assertThat(eleven.trusts("10.95.255.255")).isFalse();
        assertThat(TrustedProxies.of(List.of("0.0.0.0/0")).trusts("198.51.100.1")).isTrue();
        assertThat(TrustedProxies.of(List.of("0.0.0.0/0")).trusts("2001:db8::1")).isFalse();
    }

    @Test
    void aRangeThatIsNotOne_isRefusedWithWhatToGive() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted proxy 'proxy.internal' is not an IP address or range: give ADDRESS or "
                        + "ADDRESS/BITS, e.g. 10.0.0.0/8 or fd00::/8");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
                .hasMessage("trusted proxy '10.0.0.0/33': the prefix length must be 0 to 32 for this address, was '33'");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("fd00::/x")))
                .hasMessage("trusted proxy 'fd00::/x': the prefix length must be 0 to 128 for this address, was 'x'");
    }
}
