#pragma once
// summary.html for visualize_all_kernels: one table row per kernel, best score first,
// showing motif_kernel_<i>.png, activations_kernel_<i>.png and position_kernel_<i>.png
// side by side. The markup is pysster's html_report, so the page looks the same.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster {

namespace detail {
// Text as HTML: the five characters with a meaning there escaped.
inline std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace detail

// `order`: kernel indices in display order (pysster: by descending score); `scores`
// indexed by kernel. `additional_height` > 0 adds additional_features_kernel_<i>.png
// under each motif at that height (pysster: 225 per position-wise feature).
// `notes`, if given, indexed by kernel: a line of text under each score (sster
// motifs --tomtom: the kernel's best match); empty notes add nothing.
inline std::string kernel_summary_html(std::span<const index_t> order, std::span<const double> scores,
                                       index_t class_num, int additional_height = 0,
                                       std::span<const std::string> notes = {}) {
  std::string out =
      "<!doctype html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n"
      "<title>Kernel Summary</title>\n<style media=\"screen\" type=\"text/css\">\n"
      "#report {white-space: nowrap;}\n"
      "td {text-align: center; font-weight: bold; padding: 20px;}\n"
      "table {margin: 0 auto; border-collapse: collapse;}\n"
      "tr:nth-child(even) {background-color: #f2f9ff;}</style>\n</head>\n"
      "<body>\n<div id=\"report\">\n<table>\n";
  const long position_height = 300 * std::max<long>((class_num + 2) / 3, 1);
  char buf[512];
  for (index_t k : order) {
    require(k >= 0 && to_size(k) < scores.size(),
            "kernel summary: kernel " + std::to_string(k) + " has no score (" + std::to_string(scores.size()) +
                " scores)");
    const int kernel = static_cast<int>(k);
    std::snprintf(buf, sizeof buf, "<tr>\n<td>Kernel %d<br/>score = %.3f", kernel, at(scores, k));
    out += buf;
    if (to_size(k) < notes.size() && !at(notes, k).empty()) out += "<br/>" + detail::html_escape(at(notes, k));
    out += "</td>\n";
    if (additional_height <= 0) {
      std::snprintf(buf, sizeof buf, "<td><img src=\"motif_kernel_%d.png\" height=150/></td>\n", kernel);
    } else {
      std::snprintf(buf, sizeof buf,
                    "<td><img src=\"motif_kernel_%d.png\" height=150/><br>"
                    "<img src=\"additional_features_kernel_%d.png\" height=%d/></td>\n",
                    kernel, kernel, additional_height);
    }
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "<td><img src=\"activations_kernel_%d.png\" height=300/></td>\n"
                  "<td><img src=\"position_kernel_%d.png\" height=%ld/></td>\n</tr>\n",
                  kernel, kernel, position_height);
    out += buf;
  }
  out += "</table>\n</div>\n</body>\n</html>";
  return out;
}

// Writes <folder>/summary.html atomically.
inline void write_kernel_summary(const std::filesystem::path& folder, std::span<const index_t> order,
                                 std::span<const double> scores, index_t class_num, int additional_height = 0,
                                 std::span<const std::string> notes = {}) {
  write_file_atomic(folder / "summary.html", kernel_summary_html(order, scores, class_num, additional_height, notes));
}

}  // namespace sster
