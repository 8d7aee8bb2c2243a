"""pysster's tutorial on sster: learn the planted motifs of the artificial data
set (positives carry CCCCCCCCCC at 20 and GGGGGGGGGG at 50, or AAAAAAAAAA at 80
and TTTTTTTTTT at 110), evaluate on the test records and draw every kernel.
pysster's code, with `from sster import ...` in place of `from pysster...`.

    python3 examples/python/tutorial.py [OUTPUT_FOLDER]
"""

import os
import sys

from sster import Data, Model, utils

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("SSTER_SHARED_DATA", os.path.join(here, "..", "..", "..", "shared", "data"))
output_folder = (sys.argv[1] if len(sys.argv) > 1 else "tutorial-out") + "/"
os.makedirs(output_folder, exist_ok=True)

# one FASTA file per class, split 70/15/15 into training/validation/test
data = Data([shared + "/tutorial/artificial_pos.fasta.gz", shared + "/tutorial/artificial_neg.fasta.gz"], "ACGT")
data.train_val_test_split(portion_train=0.7, portion_val=0.15, seed=3)
print(data.get_summary())

# pysster's default network with 20 kernels of length 10, early stopping
params = {"kernel_num": 20, "kernel_len": 10, "epochs": 10, "patience_stopping": 3}
model = Model(params, data, seed=1)
model.print_summary()
model.train(data)

# evaluation on the test records
predictions = model.predict(data, "test")
labels = data.get_labels("test")
print(utils.get_performance_report(labels, predictions))
utils.plot_roc(labels, predictions, output_folder + "roc.png")
utils.plot_prec_recall(labels, predictions, output_folder + "prec.png")
auc = utils.auROC(labels[:, 0], predictions[:, 0])[2]
print("test ROC-AUC of the positives: {:.4f}".format(auc))

# what the kernels learned: motif, positions and activations of each
activations = model.get_max_activations(data, "test")
logos = model.visualize_all_kernels(activations, data, output_folder)
found = {m for m in ["CCCCCCCCCC", "GGGGGGGGGG", "AAAAAAAAAA", "TTTTTTTTTT"]
         if any(m[:6] in logo.consensus() for logo in logos)}
print("planted motifs among the kernels' consensus: " + ", ".join(sorted(found)))
utils.save_model(model, output_folder + "model.sster")

# checks, so the test suite can run this script
assert auc >= 0.99, auc
assert len(logos) == 20
for kernel in range(20):
    for kind in ["motif", "position", "activations"]:
        assert os.path.isfile("{}{}_kernel_{}.png".format(output_folder, kind, kernel))
for name in ["summary.html", "motifs.meme", "roc.png", "prec.png", "model.sster"]:
    assert os.path.isfile(output_folder + name), name
assert len(found) >= 2, found
