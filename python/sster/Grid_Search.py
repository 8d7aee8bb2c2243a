"""pysster's Grid_Search on sster's engine: every combination of the given
parameter values is trained (several at once, each deterministic) and scored
on the validation records by the support-weighted ROC-AUC or PR-AUC."""

from itertools import product

from sster import _sster
from sster.Model import Model, _native_data, _print_line


class Grid_Search:
    """Grid_Search(params): params maps parameter names to lists of values,
    e.g. {'conv_num': [1, 2], 'kernel_num': [20, (20, 40)]}."""

    def __init__(self, params):
        for name, values in params.items():
            if not isinstance(values, list) or values == []:
                raise _sster.Error("Grid_Search: every params entry must be a non-empty list ('{}' is not)".format(name))
        self.params = {name: list(values) for name, values in params.items()}
        self.candidates = [dict(zip(self.params.keys(), c)) for c in product(*self.params.values())]
        # Values as pysster prints them: str(2) = '2', str((20, 40)) = '(20, 40)'.
        self._native = _sster.GridSearch([(name, [str(v) for v in values]) for name, values in self.params.items()])

    def train(self, data, pr_auc=False, verbose=True):
        """Train every combination; returns (best model, table), the table
        ranking all combinations by their score, as pysster prints it.
        verbose: a line per trained combination (its validation score)."""
        native_model, table = self._native.train(_native_data(data), bool(pr_auc), bool(verbose), _print_line)
        return Model._wrap(native_model), table
