package dev.enas.tensorboard.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TfRecordTest {
  private static final byte[] HELLO = "hello tensorboard".getBytes(StandardCharsets.US_ASCII);

  private static byte[] framed(byte[]... records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecordWriter w = new TfRecordWriter(out);
    for (byte[] r : records) {
      w.write(r);
    }
    w.flush();
    return out.toByteArray();
  }

  @Test
  void framingIsLengthCrcDataCrcLittleEndian() throws IOException {
    byte[] b = framed(HELLO);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(12 + HELLO.length + 4, b.length);
    assertEquals(HELLO.length, bb.getLong(0));
    // tensorboard's masked_crc32c(struct.pack("<Q", 17)) and masked_crc32c(b"hello tensorboard")
    assertEquals(0x2eb56d9d, bb.getInt(8));
    assertArrayEquals(HELLO, Arrays.copyOfRange(b, 12, 12 + HELLO.length));
    assertEquals(0xd8746fa4, bb.getInt(12 + HELLO.length));
  }

  @Test
  void recordsReadBackInOrder() throws IOException {
    byte[] second = new byte[1000];
    for (int i = 0; i < second.length; i++) {
      second[i] = (byte) (i * 31);
    }
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(framed(HELLO, new byte[0], second)), "mem");
    assertArrayEquals(HELLO, r.next());
    assertArrayEquals(new byte[0], r.next());
    assertArrayEquals(second, r.next());
    assertNull(r.next());
    assertEquals(3 * 16 + HELLO.length + 1000, r.offset());
  }

  @Test
  void aFlippedDataByteIsNamedWithItsFileAndOffset() throws IOException {
    byte[] b = framed(HELLO, HELLO);
    int secondRecord = 16 + HELLO.length;
    b[secondRecord + 12 + 3] ^= 0x01;
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(b), "run/tb/events.out.tfevents.1.host");
    assertArrayEquals(HELLO, r.next());
    CorruptRecordException e = assertThrows(CorruptRecordException.class, r::next);
    assertEquals(secondRecord, e.offset());
    assertTrue(e.getMessage().contains("run/tb/events.out.tfevents.1.host"), e.getMessage());
    assertTrue(e.getMessage().contains("byte " + secondRecord), e.getMessage());
    assertTrue(e.getMessage().contains("data's checksum"), e.getMessage());
  }

  @Test
  void aFlippedLengthByteFailsTheLengthChecksum() throws IOException {
    byte[] b = framed(HELLO);
    b[1] ^= 0x40;
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> new TfRecordReader(new ByteArrayInputStream(b), "f").next());
    assertTrue(e.getMessage().contains("length's checksum"), e.getMessage());
  }

  @Test
  void aRecordCutShortIsTruncatedNotCorrupt() throws IOException {
    byte[] b = framed(HELLO, HELLO);
    byte[] cut = Arrays.copyOf(b, b.length - 3);
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(cut), "f");
    r.next();
    TruncatedRecordException e = assertThrows(TruncatedRecordException.class, r::next);
    assertEquals(16 + HELLO.length, e.offset());
  }
}
