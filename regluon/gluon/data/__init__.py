"""`gluon.data`: datasets, samplers and the DataLoader; `gluon.data.vision` for images."""
from .dataset import Dataset, SimpleDataset, ArrayDataset, RecordFileDataset
from .sampler import (Sampler, SequentialSampler, RandomSampler, FilterSampler,
                      BatchSampler, IntervalSampler)
from .dataloader import DataLoader
from . import vision
