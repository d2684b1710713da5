"""MXNet's `npx.reshape` codes resolved against a shape (pure functions on tuples)."""
from ..base import MXNetError


def reshape_codes(src, codes, reverse=False):
    """The target shape for `codes` (see npx.reshape) applied to shape `src`. With
    `reverse`, MXNet reads both right to left: the codes list is reversed as it is (a -6
    group too) and applied to the reversed shape."""
    if reverse:
        return tuple(reversed(_resolve(tuple(reversed(src)), tuple(reversed(codes)))))
    return _resolve(src, codes)


def _resolve(src, codes):
    out, i, j, infer = [], 0, 0, None
    while j < len(codes):
        c = codes[j]
        if c == -1:
            infer = len(out)
            out.append(-1)
            i += 1
        elif c == -2:
            out.append(_at(src, i, codes))
            i += 1
        elif c == -3:
            if _at(src, i, codes) != 1:
                raise MXNetError(f"npx.reshape: -3 skips an axis of size 1, but axis {i} of "
                                 f"{src} has size {src[i]} (codes {codes})")
            i += 1
        elif c == -4:
            out.extend(src[i:])
            i = len(src)
        elif c == -5:
            out.append(_at(src, i, codes) * _at(src, i + 1, codes))
            i += 2
        elif c == -6:
            d, a, b = _at(src, i, codes), codes[j + 1], codes[j + 2]
            a, b = (d // b if a == -1 else a), (d // a if b == -1 else b)
            if a * b != d:
                raise MXNetError(f"npx.reshape: -6 splits axis {i} of size {d} into "
                                 f"{codes[j + 1]} x {codes[j + 2]}, which does not match")
            out += [a, b]
            i += 1
            j += 2
        elif c >= 0:
            out.append(c)
            i += 1
        else:
            raise MXNetError(f"npx.reshape: unknown code {c} in {codes}")
        j += 1
    size = 1
    for s in src:
        size *= s
    if infer is not None:
        known = 1
        for k, s in enumerate(out):
            if k != infer:
                known *= s
        out[infer] = size // known if known else 0
    total = 1
    for s in out:
        total *= s
    if total != size:
        raise MXNetError(f"npx.reshape: cannot reshape {src} with codes {codes} "
                         f"(got {tuple(out)}, {total} elements instead of {size})")
    return tuple(out)


def _at(src, i, codes):
    if i >= len(src):
        raise MXNetError(f"npx.reshape: codes {codes} use more axes than the input "
                         f"shape {src} has")
    return src[i]
