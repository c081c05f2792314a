package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static final List<String> WORDS = List.of("the", "cat", "the", "a", "cat", "dog", "the");

    @Test
    void charactersRoundTripText() {
        String text = "hello, wörld 👋\nsecond line";
        Vocabulary vocabulary = Vocabulary.ofCharacters(text);
        int[] ids = vocabulary.encode(text);
        assertEquals(text.codePointCount(0, text.length()), ids.length, "one id per code point, the emoji included");
        assertEquals(text, vocabulary.decode(ids));
    }

    @Test
    void wordsRoundTripText() {
        Vocabulary vocabulary = Vocabulary.ofWords(WORDS, 1);
        assertEquals("the cat a dog", vocabulary.decode(vocabulary.encode("  the cat\ta   dog ")));
        assertEquals(List.of("dog", "the"), vocabulary.decodeTokens(vocabulary.encode(List.of("dog", "the"))));
    }

    @Test
    void specialIdsAreFixedInEveryVocabulary() {
        for (Vocabulary vocabulary : List.of(Vocabulary.ofCharacters("zyx"), Vocabulary.ofWords(WORDS, 2),
                Vocabulary.ofCharacters(""))) {
            assertEquals(0, vocabulary.id("<pad>"));
            assertEquals(1, vocabulary.id("<unk>"));
            assertEquals(2, vocabulary.id("<bos>"));
            assertEquals(3, vocabulary.id("<eos>"));
            assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>"), vocabulary.tokens().subList(0, 4));
        }
        assertEquals(4, Vocabulary.ofCharacters("").size());
    }

    @Test
    void tokensAreOrderedByDescendingFrequencyThenAlphabetically() {
        // counts: c 4, b 2, a 2, d 1 -> c, then a and b tied (alphabetical), then d
        Vocabulary characters = Vocabulary.ofCharacters("dbbccacca");
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "c", "a", "b", "d"), characters.tokens());
        // counts: the 3, cat 2, a 1, dog 1
        Vocabulary words = Vocabulary.ofWords(WORDS, 1);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "a", "dog"), words.tokens());
        assertEquals(8, words.size());
    }

    @Test
    void unknownTokensMapToUnk() {
        Vocabulary characters = Vocabulary.ofCharacters("abc");
        assertArrayEquals(new int[] {characters.id("a"), 1, characters.id("c")}, characters.encode("azc"));
        assertEquals(Vocabulary.UNK_ID, characters.id("ab"));
        assertEquals("a<unk>c", characters.decode(characters.encode("azc")));
    }

    @Test
    void minCountLeavesRareWordsOut() {
        Vocabulary vocabulary = Vocabulary.ofWords(WORDS, 2);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "the", "cat"), vocabulary.tokens());
        assertEquals(Vocabulary.UNK_ID, vocabulary.id("dog"));
        assertFalse(vocabulary.contains("dog"));
        assertTrue(vocabulary.contains("cat"));
    }

    @Test
    void specialTokensInTheTextAreNotCountedTwice() {
        Vocabulary vocabulary = Vocabulary.ofWords(List.of("<eos>", "x", "<pad>", "<eos>"), 1);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "x"), vocabulary.tokens());
        assertArrayEquals(new int[] {4, 3}, vocabulary.encode("x <eos>"));
    }

    @Test
    void decodingCanSkipTheSpecialTokens() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("ab");
        int a = vocabulary.id("a");
        int b = vocabulary.id("b");
        int[] ids = {Vocabulary.BOS_ID, a, b, Vocabulary.EOS_ID, Vocabulary.PAD_ID};
        assertEquals("<bos>ab<eos><pad>", vocabulary.decode(ids));
        assertEquals("ab", vocabulary.decode(ids, true));
    }

    @Test
    void anIdOutOfRangeIsRefusedWithTheRange() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("ab");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocabulary.token(6));
        assertEquals("Vocabulary.token: id must be in [0, 6) for this vocabulary of 6 tokens, but is 6.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[] {0, -1}));
        assertEquals("Vocabulary.decode: every id must be in [0, 6) for this vocabulary of 6 tokens, but one is -1.",
                e.getMessage());
        assertEquals("b", vocabulary.token(5));
    }

    @Test
    void aMinCountBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(WORDS, 0));
        assertEquals("Vocabulary.ofWords: minCount must be at least 1, but is 0.", e.getMessage());
    }
}
