"""The bounded cache the encoders keep their vectors in."""

from coach_app.analysis.lru import LruCache


def test_the_least_recently_used_entry_is_forgotten_first():
    """Past its limit the cache forgets the entry looked up or added longest ago, and keeps the rest."""
    cache = LruCache(3)
    cache.add({"a": 1, "b": 2, "c": 3})
    assert cache.found(["a", "x"]) == {"a": 1}  # "a" is now the most recently used; "x" was never added
    cache.add({"d": 4})
    assert "b" not in cache
    assert cache.found(["a", "c", "d"]) == {"a": 1, "c": 3, "d": 4}
    assert len(cache) == 3


def test_a_raised_limit_keeps_more_and_clear_forgets_all():
    """Raising the limit lets the cache hold more entries; `forget` drops one and `clear` every one."""
    cache = LruCache(2)
    cache.limit = 4
    cache.add({key: key for key in range(4)})
    assert len(cache) == 4
    cache.forget(0)
    assert 0 not in cache and len(cache) == 3
    cache.clear()
    assert len(cache) == 0
