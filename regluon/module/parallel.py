"""Data parallelism for Module, as MXNet's DataParallelExecutorGroup: a batch is split along
its batch axis by the work load of each context, and outputs are merged back."""
from .. import ndarray as nd
from ..io import DataDesc


def split_input_slice(batch_size, work_load_list):
    """The slice of the batch each context gets (MXNet's `_split_input_slice`)."""
    total = sum(work_load_list)
    nums = [round(w * batch_size / total) for w in work_load_list]
    if sum(nums) < batch_size:
        nums[-1] += batch_size - sum(nums)
    slices, end = [], 0
    for num in nums:
        begin = int(min(end, batch_size))
        end = int(min(begin + num, batch_size))
        if begin >= end:
            raise ValueError(f"Too many slices. Some splits are empty: a batch of {batch_size} "
                             f"split by work_load_list={list(work_load_list)}")
        slices.append(slice(begin, end))
    return slices


def batch_axes(descs):
    """The batch axis of each DataDesc (-1: not split), from its layout."""
    return [DataDesc.get_batch_axis(getattr(d, 'layout', None)) for d in descs]


def sliced_shape(shape, axis, part):
    shape = list(shape)
    if axis >= 0:
        shape[axis] = part.stop - part.start
    return tuple(shape)


def take(arr, axis, part):
    """`arr`'s slice `part` along `axis` (the array itself when that is all of it)."""
    if axis < 0 or (part.start == 0 and part.stop == arr.shape[axis]):
        return arr
    if axis == 0:
        return arr[part.start:part.stop]
    return nd.slice_axis(arr, axis=axis, begin=part.start, end=part.stop)


def merge(per_context, axes):
    """[[a_ctx0, a_ctx1, ...], ...] -> [a, ...], concatenated along each batch axis."""
    res = []
    for arrays, axis in zip(per_context, axes):
        if axis < 0 or len(arrays) == 1:
            res.append(arrays[0])
        else:
            ctx = arrays[0].context
            res.append(nd.concat(*[a.as_in_context(ctx) for a in arrays], dim=axis))
    return res
