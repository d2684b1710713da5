"""`mx.image.ImageDetIter`: batches of images and padded detection labels (see detection.py
for the label format and the augmenters)."""
import logging
import warnings

import numpy as np
import torch

from ..base import MXNetError
from ..ndarray.ndarray import NDArray
from .image import imdecode
from .imageiter import ImageIter
from .detection import CreateDetAugmenter, DetLabelError, DetShapeError, _mean_std, _MEAN, _STD

__all__ = ['ImageDetIter']


class ImageDetIter(ImageIter):
    """Image iterator for object detection, with detection augmentations.

    Labels come from the records (or `path_imglist`/`imglist`) in the detection format
    (header width, object width, header..., objects...); batches carry data
    (N, C, H, W) float32 and labels (N, max_objects, object_width) float32 with -1 rows
    for the missing objects. `max_objects` is counted over the whole data set when the
    iterator is made (`label_shape`).

    Parameters
    ----------
    batch_size : int
        Number of examples per batch.
    data_shape : tuple
        Data shape in (channels, height, width) format; 3 channels.
    path_imgrec : str
        Path to image record file (.rec).
    path_imglist : str
        Path to image list (.lst): `index<TAB>labels...<TAB>path` lines.
    path_root : str
        Root folder of image files.
    path_imgidx : str
        Path to the index file of the .rec (needed for shuffle and num_parts).
    shuffle : bool
        Whether to shuffle all images at the start of each iteration.
    part_index, num_parts : int
        Partition index and number of partitions.
    aug_list : list of DetAugmenter
        Augmenters; default `CreateDetAugmenter(data_shape, **kwargs)`.
    imglist : list
        Images as [label, path] entries.
    data_name, label_name : str
        Names in provide_data / provide_label.
    last_batch_handle : {'pad', 'discard', 'roll_over'}
        How to handle the last batch (see ImageIter).
    kwargs : ...
        Arguments of CreateDetAugmenter (rand_crop, rand_pad, rand_mirror, mean, ...).
    """
    _label_fill = -1.0     # MXNet pads the missing objects with -1 rows

    def __init__(self, batch_size, data_shape, path_imgrec=None, path_imglist=None,
                 path_root=None, path_imgidx=None, shuffle=False, part_index=0, num_parts=1,
                 aug_list=None, imglist=None, data_name='data', label_name='label',
                 last_batch_handle='pad', **kwargs):
        super().__init__(batch_size=batch_size, data_shape=data_shape, path_imgrec=path_imgrec,
                         path_imglist=path_imglist, path_root=path_root,
                         path_imgidx=path_imgidx, shuffle=shuffle, part_index=part_index,
                         num_parts=num_parts, aug_list=[], imglist=imglist,
                         data_name=data_name, label_name=label_name,
                         last_batch_handle=last_batch_handle)
        self.auglist = CreateDetAugmenter(data_shape, **kwargs) if aug_list is None \
            else aug_list
        self.label_shape = self._estimate_label_shape()
        self.provide_label = [(label_name, (self.batch_size,) + self.label_shape)]

    def _check_valid_label(self, label):
        """A label after augmentation: (objects >= 1, width >= 5), one valid object."""
        if label.ndim != 2 or label.shape[1] < 5:
            raise DetLabelError(f"ImageDetIter: Label with shape (1+, 5+) required, "
                                f"{label} received.")
        valid = np.logical_and(label[:, 0] >= 0, np.logical_and(label[:, 3] > label[:, 1],
                                                                label[:, 4] > label[:, 2]))
        if not valid.any():
            raise DetLabelError('ImageDetIter: Invalid label occurs (no object with class >= 0 '
                                'and xmax > xmin, ymax > ymin).')

    def _estimate_label_shape(self):
        """(most objects in one image, object width) over the data set."""
        max_count, label = 0, None
        self.reset()
        try:
            while True:
                label = self._parse_label(self.next_sample()[0])
                max_count = max(max_count, label.shape[0])
        except StopIteration:
            pass
        self.reset()
        if label is None:
            raise MXNetError("ImageDetIter: the data set has no images")
        return (max_count, label.shape[1])

    def _parse_label(self, label):
        """The (objects, object width) rows of a raw label, without the invalid boxes.

        Raw label: header_width, object_width, header..., then the objects' rows
        [id, xmin, ymin, xmax, ymax, ...]; header_width >= 2, object_width >= 5.
        """
        if isinstance(label, NDArray):
            label = label.asnumpy()
        raw = np.asarray(label).ravel()
        if raw.size < 7:
            raise DetLabelError(f"ImageDetIter: Label shape is invalid: {raw.shape} (a "
                                "detection label has a header of width >= 2 and objects of "
                                "width >= 5)")
        header_width, obj_width = int(raw[0]), int(raw[1])
        if obj_width <= 0 or header_width < 0 or (raw.size - header_width) % obj_width:
            raise DetLabelError(f"ImageDetIter: Label shape {raw.shape} inconsistent with "
                                f"annotation width {obj_width}. (header width {header_width})")
        out = np.reshape(raw[header_width:], (-1, obj_width))
        valid = np.where(np.logical_and(out[:, 3] > out[:, 1], out[:, 4] > out[:, 2]))[0]
        if valid.size < 1:
            raise DetLabelError('ImageDetIter: Encounter sample with no valid label.')
        return out[valid, :]

    def check_data_shape(self, data_shape):
        """Checks if the input data shape is valid: (3, height, width)."""
        if len(data_shape) != 3:
            raise DetShapeError('data_shape should have length 3, with dimensions CxHxW')
        if data_shape[0] != 3:
            raise DetShapeError('This iterator expects inputs to have 3 channels.')

    def check_label_shape(self, label_shape):
        """Checks if the new label shape is valid: (objects, width), objects not fewer."""
        if len(label_shape) != 2:
            raise DetShapeError('label_shape should have length 2')
        if label_shape[0] < self.label_shape[0]:
            raise DetShapeError(f'Attempts to reduce label count from {self.label_shape[0]} '
                                f'to {label_shape[0]}, not allowed.')
        if label_shape[1] != self.provide_label[0][1][2]:
            raise DetShapeError('label_shape object width inconsistent: '
                                f'{self.provide_label[0][1][2]} vs {label_shape[1]}.')

    def reshape(self, data_shape=None, label_shape=None):
        """Set a new data_shape (C, H, W) and/or label_shape (objects, width)."""
        if data_shape is not None:
            self.check_data_shape(data_shape)
            self.provide_data = [(self.provide_data[0][0],
                                  (self.batch_size,) + tuple(data_shape))]
            self.data_shape = tuple(data_shape)
        if label_shape is not None:
            self.check_label_shape(label_shape)
            self.provide_label = [(self.provide_label[0][0],
                                   (self.batch_size,) + tuple(label_shape))]
            self.label_shape = tuple(label_shape)

    def sync_label_shape(self, it, verbose=False):
        """Give this iterator and `it` the same label padding (the larger object count);
        returns `it`."""
        if not isinstance(it, ImageDetIter):
            raise MXNetError(f"sync_label_shape: Synchronize with invalid iterator: expected "
                             f"an ImageDetIter, got {type(it).__name__}")
        mine, theirs = self.label_shape, it.label_shape
        if mine[1] != theirs[1]:
            raise MXNetError(f"sync_label_shape: object width mismatch: {mine[1]} vs "
                             f"{theirs[1]}")
        max_count = max(mine[0], theirs[0])
        if max_count > mine[0]:
            self.reshape(None, (max_count, mine[1]))
        if max_count > theirs[0]:
            it.reshape(None, (max_count, theirs[1]))
        if verbose and max_count > min(mine[0], theirs[0]):
            logging.info('Resized label_shape to (%d, %d).', max_count, mine[1])
        return it

    def imdecode(self, s):
        """Decode an image record's bytes (MXNetError naming the image when broken)."""
        try:
            return imdecode(s)
        except MXNetError as e:
            raise DetLabelError(f"ImageDetIter: Broken image after sample {self.cur}: "
                                f"{e}") from None

    def check_valid_image(self, data):
        """Checks that the decoded image is not empty."""
        if len(data[0].shape) == 0:
            raise DetLabelError('Data shape is wrong')

    def augmentation_transform(self, data, label):  # pylint: disable=arguments-differ
        """Apply the augmenters to (image, label)."""
        for aug in self.auglist:
            data, label = aug(data, label)
        return data, label

    def postprocess_data(self, datum):
        """HWC image to the CHW tensor of a batch slot."""
        return datum._t.permute(2, 0, 1)

    def _parsed(self):
        """The next (image, label) that decodes and parses; MXNet skips the others (logged at
        debug level)."""
        while True:
            label, s = self.next_sample()
            data = self.imdecode(s)
            try:
                self.check_valid_image([data])
                return data, self._parse_label(label)
            except RuntimeError as e:
                logging.debug('Invalid image, skipping:  %s', e)

    def _augmented(self):
        """The next (image, label) that also survives augmentation."""
        while True:
            data, label = self._parsed()
            try:
                data, label = self.augmentation_transform(data, label)
                self._check_valid_label(label)
            except RuntimeError as e:
                logging.debug('Invalid image, skipping:  %s', e)
                continue
            return data, label

    def _fill(self, data, label, start):
        i = start
        try:
            while i < self.batch_size:
                img, lab = self._augmented()
                want = self.data_shape[1:] + (self.data_shape[0],)
                if img.shape != want:
                    raise MXNetError(f"ImageDetIter: augmented image has shape {img.shape}, "
                                     f"expected (H, W, C) = {want}; the augmenters should end "
                                     "with a ForceResizeAug to data_shape")
                if lab.shape[0] > label.shape[1] or lab.shape[1] != label.shape[2]:
                    raise MXNetError(f"ImageDetIter: a label of shape {lab.shape} does not fit "
                                     f"label_shape {tuple(label.shape[1:])}; reshape() the "
                                     "iterator to a larger label_shape")
                data[i] = self.postprocess_data(img)
                label[i] = -1
                label[i, :lab.shape[0]] = torch.from_numpy(np.asarray(lab, np.float32))
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def draw_next(self, color=None, thickness=2, mean=None, std=None, clip=True,
                  waitKey=None, window_name='draw_next', id2labels=None):
        """Yield the next images (HWC uint8, BGR as MXNet's) augmented, with boxes drawn.

        Parameters
        ----------
        color : tuple
            Box color in RGB; None for a random color per box.
        thickness : int
            Box border thickness.
        mean, std : True or numpy.ndarray
            Undo the normalization (True: ImageNet's values).
        clip : bool
            Clip to [0, 255].
        waitKey : None or int
            Show each image in an OpenCV window for waitKey ms (needs cv2).
        window_name : str
            The window's name.
        id2labels : dict
            Class id to the name written at each box.
        """
        from PIL import Image, ImageDraw
        count = 0
        try:
            while True:
                data, label = self._parsed()
                count += 1
                data, label = self.augmentation_transform(data, label)
                image = data.asnumpy().astype(np.float64)
                std, mean = _mean_std(std, _STD, 'std'), _mean_std(mean, _MEAN, 'mean')
                if std is not None:
                    image *= std
                if mean is not None:
                    image += mean
                image = image[:, :, ::-1]        # RGB to BGR, as MXNet (OpenCV) gives it
                if clip:
                    image = np.clip(image, 0, 255)
                pil = Image.fromarray(np.ascontiguousarray(image.astype(np.uint8)))
                draw = ImageDraw.Draw(pil)
                height, width = image.shape[:2]
                for row in label:
                    x1 = int(row[1] * width)
                    if x1 < 0:
                        continue
                    y1, x2, y2 = int(row[2] * height), int(row[3] * width), int(row[4] * height)
                    bc = tuple(int(v) for v in (np.random.rand(3) * 255 if not color
                                                else color[::-1]))
                    draw.rectangle([x1, y1, x2, y2], outline=bc, width=thickness)
                    if id2labels is not None and int(row[0]) in id2labels:
                        draw.text((x1 + 5, y1 + 5), str(id2labels[int(row[0])]),
                                  fill=(255, 255, 255))
                image = np.asarray(pil).copy()
                if waitKey is not None:
                    _show(window_name, image, waitKey)
                yield image
        except StopIteration:
            return


def _show(window_name, image, wait):
    """Show a BGR image in an OpenCV window, as MXNet's draw_next (needs cv2)."""
    try:
        import cv2  # pylint: disable=import-outside-toplevel
    except ImportError as e:
        warnings.warn(f'Unable to import cv2, skip showing the image: {e}')
        return
    cv2.imshow(window_name, image)
    cv2.waitKey(wait)
