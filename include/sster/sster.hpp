#pragma once
// The umbrella header: everything a program needs to train sster models,
// predict, evaluate and look at the motifs.
#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/simulate.hpp"
#include "sster/data/structure.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/kernel_tomtom.hpp"
#include "sster/interpret/tomtom_meme.hpp"
#include "sster/io/meme.hpp"
#include "sster/io/meme_reader.hpp"
#include "sster/metrics/report.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/search/grid_search.hpp"
#include "sster/model/model.hpp"
#include "sster/plot/curves.hpp"
