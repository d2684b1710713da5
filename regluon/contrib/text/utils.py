"""Counting the tokens of a string."""
import collections
import re

__all__ = ['count_tokens_from_str']


def count_tokens_from_str(source_str, token_delim=' ', seq_delim='\n', to_lower=False,
                          counter_to_update=None):
    """Count the tokens of `source_str`, split at the regular expressions `token_delim` and
    `seq_delim`.

    Parameters
    ----------
    source_str : str
        A source string of tokens.
    token_delim : str, default ' '
        A token delimiter (a regular expression).
    seq_delim : str, default '\\n'
        A sequence delimiter (a regular expression).
    to_lower : bool, default False
        Whether to convert the source source_str to the lower case.
    counter_to_update : collections.Counter or None, default None
        Update this counter (and return it) instead of a new one.

    Returns
    -------
    collections.Counter
    """
    tokens = filter(None, re.split(token_delim + '|' + seq_delim, source_str))
    if to_lower:
        tokens = [t.lower() for t in tokens]
    if counter_to_update is None:
        return collections.Counter(tokens)
    counter_to_update.update(tokens)
    return counter_to_update
