package dev.enas.tensorboard.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MaskedCrc32cTest {
  @Test
  void crc32cMatchesTheStandardCheckValue() {
    // the CRC-32C catalogue's check value for "123456789"
    assertEquals(0xe3069283, MaskedCrc32c.crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
  }

  @Test
  void maskedValuesMatchTensorBoardsOwn() {
    // computed with tensorboard 2.21's masked_crc32c (tensorboard.compat.tensorflow_stub.pywrap_tensorflow)
    assertEquals(0xc78ab0e5, MaskedCrc32c.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0xa282ead8, MaskedCrc32c.of(new byte[0]));
    assertEquals(0xd8746fa4, MaskedCrc32c.of("hello tensorboard".getBytes(StandardCharsets.US_ASCII)));
  }
}
