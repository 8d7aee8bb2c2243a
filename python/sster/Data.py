"""pysster's Data class on sster's engine: sequences (with optional structure)
of several classes, one-hot for the network, split into training, validation
and test records.

Where sster differs from pysster: a data set is stored as one byte per
position, not as one-hot matrices (``inputs(group)`` gives those); the split
is seeded (``train_val_test_split(0.7, 0.15)`` with seed 42 at the start, so
the same files give the same split every time, as ``sster train`` makes it);
records of unequal length are an error naming both records.
"""

import numpy as np

from sster import _sster


def _files(class_files):
    return list(class_files) if isinstance(class_files, (list, tuple)) else [class_files]


class Data:
    """A labelled set of sequences ready for training.

    Data(class_files, alphabet, structure_pwm=False)

    class_files: a list of FASTA files, one per class (single-label; class 0 is
        the first file), or one FASTA file whose headers list each record's
        classes, e.g. '>0,2' (multi-label).
    alphabet: the sequence letters ("ACGT"), or a tuple (sequence letters,
        structure letters), e.g. ("ACGU", "HIMS"), for sequence and structure
        records (a structure line under each sequence line).
    structure_pwm: structures are given as probability rows, one row per
        structure letter, instead of a structure line.
    """

    def __init__(self, class_files, alphabet, structure_pwm=False):
        if isinstance(alphabet, tuple):
            sequence, structure = alphabet
        else:
            sequence, structure = alphabet, ""
        if isinstance(class_files, (list, tuple)):
            native = _sster.Data.from_fasta(list(class_files), sequence, structure, structure_pwm)
        else:
            native = _sster.Data.from_multilabel_fasta([class_files], 0, sequence, structure, structure_pwm)
        self._native = native

    @classmethod
    def _wrap(cls, native):
        data = cls.__new__(cls)
        data._native = native
        return data

    # ---- pysster's methods
    def train_val_test_split(self, portion_train, portion_val, seed=None):
        """Split the records at random: portion_train for training, portion_val
        for validation, the rest for testing. Without a seed, the seed is drawn
        from numpy's global random state (as pysster, reproducible after
        np.random.seed)."""
        if seed is None:
            seed = int(np.random.randint(0, 2**62))
        self._native.resplit(float(portion_train), float(portion_val), int(seed))

    def load_additional_data(self, class_files, is_categorical=False, categories=None, standardize=False):
        """Add one value per sequence (numbers, or categories one-hot encoded)
        from text files with one line per record: one file per class file, or
        files whose lines together match the records."""
        files = _files(class_files)
        if is_categorical:
            if not isinstance(categories, (list, tuple)):
                raise _sster.Error("load_additional_data: is_categorical needs the list of categories")
            self._native.add_categorical(files, [str(c) for c in categories])
        else:
            self._native.add_additional(files, bool(standardize))

    def load_additional_positionwise_data(self, class_files, identifier, standardize=False):
        """Add one value per position (a line of whitespace-separated numbers per
        record); standardize scales each position by its median and
        interquartile range (sklearn's robust_scale)."""
        self._native.add_positionwise(_files(class_files), str(identifier), bool(standardize))

    def get_labels(self, group):
        """The classes of the records of a group ('train', 'val', 'test' or 'all')
        as a (records, classes) array of 0 and 1."""
        return self._native.targets(group).astype(np.uint32)

    def get_summary(self):
        """The number of records of each class in each group, and the data's shape."""
        return self._native.summary()

    def save(self, file_path):
        """Save to an sster data file (written atomically; loads with Data.load)."""
        self._native.save(str(file_path))

    @classmethod
    def load(cls, file_path):
        """A data set saved with save()."""
        return cls._wrap(_sster.Data.load(str(file_path)))

    # ---- pysster's attributes, read-only
    @property
    def multilabel(self):
        return self._native.multilabel

    @property
    def is_rna(self):
        """Whether the records carry structures (pysster's name)."""
        return self._native.structure_letters != ""

    @property
    def is_rna_pwm(self):
        """Whether the structures are probability rows (pysster's name)."""
        return self._native.has_profile

    @property
    def splits(self):
        """{'train': indices, 'val': indices, 'test': indices}, each sorted."""
        return {g: self._native.indices(g) for g in ("train", "val", "test")}

    def _shape(self):
        """(length, channels) of the network input (pysster's _shape)."""
        return (self._native.length, self._native.input_channels)

    def _get_class_weights(self):
        return dict(enumerate(self._native.class_weights()))

    # ---- sster's additions
    @property
    def class_names(self):
        return self._native.class_names

    @class_names.setter
    def class_names(self, names):
        self._native.class_names = list(names)

    @property
    def alphabet(self):
        """The sequence letters, or (sequence letters, structure letters)."""
        if self.is_rna:
            return (self._native.sequence_letters, self._native.structure_letters)
        return self._native.sequence_letters

    def __len__(self):
        return self._native.size

    def get_indices(self, group):
        return self._native.indices(group)

    def get_sequences(self, group):
        """The sequences of a group as strings (unknown letters as replaced)."""
        return [self._native.sequence(int(i)) for i in self._native.indices(group)]

    def get_structures(self, group):
        return [self._native.structure(int(i)) for i in self._native.indices(group)]

    def get_symbols(self, group):
        """The records of a group as (records, length) symbol indices (uint8;
        255 pads): what Model.predict takes as a numpy array."""
        return self._native.symbols(group)

    def get_inputs(self, group):
        """pysster's input matrices of a group: (records, length, channels) float32."""
        return self._native.inputs(group)

    def get_additional_data(self, group):
        """The per-sequence values of a group: (records, values) float32."""
        return self._native.extra(group)

    def __repr__(self):
        return "<sster.Data: {} records of length {}, {} classes>".format(
            self._native.size, self._native.length, self._native.classes)
