package dev.enas.plugins.dataset.ptb;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The three splits of a word-level corpus as token ids. Each line is a sentence of space-separated words followed by
 * {@code <eos>}; the vocabulary is the training split's words in order of first appearance. A word of the
 * validation or test split outside it becomes {@code <unk>} when the vocabulary has one, else it is an error.
 */
record TextCorpus(List<String> vocabulary, int[] train, int[] valid, int[] test) {
  static final String EOS = "<eos>";
  static final String UNK = "<unk>";

  static TextCorpus read(Path dir, String trainFile, String validFile, String testFile, long trainLimit,
      MessageDigest digest) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    List<String> vocabulary = new ArrayList<>();
    ids.put(EOS, 0);
    vocabulary.add(EOS);
    int[] train = tokens(file(dir, trainFile), ids, vocabulary, true, trainLimit, digest);
    int[] valid = tokens(file(dir, validFile), ids, vocabulary, false, 0, digest);
    int[] test = tokens(file(dir, testFile), ids, vocabulary, false, 0, digest);
    return new TextCorpus(List.copyOf(vocabulary), train, valid, test);
  }

  /** The file, or the file with .gz appended. */
  private static Path file(Path dir, String name) throws FileNotFoundException {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new FileNotFoundException("dataset ptb: " + dir + " has neither " + name + " nor " + name + ".gz");
  }

  private static int[] tokens(Path file, Map<String, Integer> ids, List<String> vocabulary, boolean grow, long limit,
      MessageDigest digest) throws IOException {
    int[] out = new int[1 << 16];
    int n = 0;
    int lineNumber = 0;
    try (InputStream raw = new DigestInputStream(Files.newInputStream(file), digest);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
      String line;
      while ((line = r.readLine()) != null && (limit == 0 || n < limit)) {
        lineNumber++;
        for (String word : line.trim().split("\\s+")) {
          if (word.isEmpty()) {
            continue;
          }
          Integer id = ids.get(word);
          if (id == null) {
            if (grow) {
              id = vocabulary.size();
              ids.put(word, id);
              vocabulary.add(word);
            } else if (ids.containsKey(UNK)) {
              id = ids.get(UNK);
            } else {
              throw new IOException("dataset ptb: " + file + " line " + lineNumber + " has the word '" + word
                  + "', which the training split does not (and it has no " + UNK + " to map it to)");
            }
          }
          out = append(out, n++, id);
        }
        out = append(out, n++, ids.get(EOS));
      }
    } catch (CharacterCodingException e) {
      throw new IOException("dataset ptb: " + file + " is not UTF-8 text (line " + (lineNumber + 1) + ")", e);
    } catch (ZipException | EOFException e) {
      throw new IOException("dataset ptb: " + file + " is not a complete gzip file (" + e.getMessage() + ")", e);
    }
    if (limit > 0 && n > limit) {
      n = (int) limit;
    }
    if (n == 0) {
      throw new IOException("dataset ptb: " + file + " holds no text");
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] append(int[] a, int at, int v) {
    int[] b = at < a.length ? a : Arrays.copyOf(a, a.length * 2);
    b[at] = v;
    return b;
  }
}
