"""sster: pysster's API on sster's C++ engine.

    from sster import Data, Model, utils

works as pysster's `from pysster.Data import Data` etc. do, and so do
`from sster.Data import Data`, `from sster.Model import Model`,
`from sster.Grid_Search import Grid_Search` and `from sster import utils`.
Bad input raises sster.Error (a ValueError) with the message the `sster`
command-line tool prints.
"""

from sster._sster import Error, Motif, __version__, kernels, set_threads, threads
from sster.Data import Data
from sster.Model import Model
from sster.Grid_Search import Grid_Search
from sster import utils

Error.__module__ = "sster"  # shown as sster.Error

__all__ = ["Data", "Model", "Grid_Search", "utils", "Motif", "Error", "set_threads", "threads", "kernels", "__version__"]
