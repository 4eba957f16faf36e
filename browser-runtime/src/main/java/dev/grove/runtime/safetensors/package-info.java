/**
 * Reading and writing the <a href="https://github.com/huggingface/safetensors">safetensors</a> weight format.
 *
 * <p>Layout of a file: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8 JSON (an object
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}} plus an optional {@code "__metadata__"} object of
 * string values); then the data section, the raw little-endian, row-major ("C" order) tensor bytes. {@code data_offsets}
 * are {@code [begin, end)} relative to the start of the data section. The reference implementation pads the header with
 * spaces to a multiple of 8 bytes and caps it at 100,000,000 bytes.
 *
 * <p>{@link dev.grove.runtime.safetensors.SafetensorsFile#parse(byte[])} is strict: besides what the reference checks it
 * refuses duplicate keys, unknown keys in a tensor entry, overlapping tensors and bytes of the data section that belong to
 * no tensor, and it reports every problem as a {@link dev.grove.runtime.safetensors.SafetensorsException} whose message
 * names the tensor and the offending values. The header JSON is read by {@code dev.grove.json}, the one strict JSON reader
 * of untrusted bytes in Grove, with its errors placed by header byte. The code uses no reflection, no {@code java.nio}
 * and no {@code String.format}, so that TeaVM compiles it for the browser.
 */
package dev.grove.runtime.safetensors;
