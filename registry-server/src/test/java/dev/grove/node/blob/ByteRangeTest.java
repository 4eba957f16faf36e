package dev.grove.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-0        | 100 | 0-0",
            "bytes=0-99       | 100 | 0-99",
            "bytes=10-        | 100 | 10-99",
            "bytes=90-500     | 100 | 90-99",
            "bytes=-10        | 100 | 90-99",
            "bytes=-500       | 100 | 0-99",
            " bytes=5-6       | 100 | 5-6",
            "bytes=100-       | 100 | unsatisfiable",
            "bytes=100-200    | 100 | unsatisfiable",
            "bytes=-0         | 100 | unsatisfiable",
            "bytes=-1         | 0   | unsatisfiable",
            "bytes=0-         | 0   | unsatisfiable",
            "bytes=5-4        | 100 | whole",
            "bytes=0-1,5-6    | 100 | whole",
            "bytes=-          | 100 | whole",
            "items=0-1        | 100 | whole",
            "bytes=x-1        | 100 | whole",
            "bytes=99999999999999999999- | 100 | whole",
    })
    void parse(String header, long size, String expected) {
        ByteRange.Request request = ByteRange.parse(Optional.of(header), size);
        String actual = request instanceof ByteRange.Partial p ? p.range().first() + "-" + p.range().last()
                : request instanceof ByteRange.Unsatisfiable ? "unsatisfiable" : "whole";
        assertThat(actual).isEqualTo(expected);
    }
}
