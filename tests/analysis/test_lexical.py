import numpy as np
import pytest

from reverie.analysis.heads import affect_head
from reverie.analysis.lexical import LexicalModel, features, pack_terms, terms


def test_terms_are_words_pairs_and_symbols() -> None:
    assert terms("Thank you!! I can\u2019t") == ["thank", "you", "!", "!", "i", "can't", "thank you", "you !", "! !", "! i", "i can't"]
    assert terms("") == []
    assert "😂" in terms("that was it 😂")


def test_features_are_unit_length_and_skip_unknown_words() -> None:
    vocabulary = {"thank": 0, "you": 1, "thank you": 2}
    idf = np.array([2.0, 1.0, 3.0], np.float32)
    columns, values = features("Thank you, thank you, zebra", vocabulary, idf)
    assert sorted(columns.tolist()) == [0, 1, 2]
    assert np.isclose(np.linalg.norm(values), 1.0)
    # sublinear tf: two uses of "thank" weigh (1 + ln 2) * idf, not 2 * idf
    by_column = dict(zip(columns.tolist(), values.tolist(), strict=True))
    assert np.isclose(by_column[0] / by_column[1], (1 + np.log(2)) * 2.0 / ((1 + np.log(2)) * 1.0))
    empty_columns, empty_values = features("zebra", vocabulary, idf)
    assert len(empty_columns) == 0 and len(empty_values) == 0


def test_packed_terms_round_trip_and_mismatch_is_refused() -> None:
    names = ["thank", "thank you", "😂", "can't"]
    packed = pack_terms(names)
    model = LexicalModel.from_arrays(packed, np.ones(4, np.float32), np.zeros((4, 2), np.float16), np.zeros(2, np.float32))
    assert model.vocabulary == {t: i for i, t in enumerate(names)}
    with pytest.raises(ValueError, match="3 terms for 4 weight rows"):
        LexicalModel.from_arrays(pack_terms(names[:3]), np.ones(4, np.float32), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="newline"):
        pack_terms(["a\nb"])


def test_shipped_word_model_reads_the_words_the_encoder_blurs() -> None:
    words = affect_head().words
    labels = affect_head().labels
    p = words.probabilities(["thanks so much!!", "lol that's hilarious", "I'm so sorry, that was my fault"])
    assert labels[int(np.argmax(p[0]))] == "gratitude"
    assert labels[int(np.argmax(p[1]))] == "amusement"
    assert labels[int(np.argmax(p[2]))] == "remorse"
    # an empty text falls back to the bias alone, never an error
    assert words.probabilities([""]).shape == (1, len(labels))
