#include <doctest.h>

#include <string>
#include <vector>

#include "sster/plot/html_report.hpp"

TEST_CASE("kernel summary HTML is pysster's html_report, rows in the given order") {
  const std::vector<sster::index_t> order{2, 0, 1};
  const std::vector<double> scores{0.5, 0.25, 0.91234};
  const std::string html = sster::kernel_summary_html(order, scores, 4);
  CHECK(html.rfind("<!doctype html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>Kernel Summary</title>\n", 0) == 0);
  CHECK(html.find("<tr>\n<td>Kernel 2<br/>score = 0.912</td>\n<td><img src=\"motif_kernel_2.png\" height=150/></td>\n"
                  "<td><img src=\"activations_kernel_2.png\" height=300/></td>\n"
                  "<td><img src=\"position_kernel_2.png\" height=600/></td>\n</tr>\n") != std::string::npos);
  CHECK(html.find("Kernel 2") < html.find("Kernel 0"));
  CHECK(html.find("Kernel 0") < html.find("Kernel 1"));
  CHECK(html.ends_with("</table>\n</div>\n</body>\n</html>"));
  const std::string with_features = sster::kernel_summary_html(order, scores, 2, 450);
  CHECK(with_features.find("<img src=\"motif_kernel_0.png\" height=150/><br><img "
                           "src=\"additional_features_kernel_0.png\" height=450/></td>\n") != std::string::npos);
  CHECK(with_features.find("position_kernel_0.png\" height=300/>") != std::string::npos);
  CHECK_THROWS_AS(sster::kernel_summary_html(std::vector<sster::index_t>{3}, scores, 2), sster::Error);
}

TEST_CASE("kernel summary HTML: a note per kernel under its score, escaped; none without") {
  const std::vector<sster::index_t> order{1, 0};
  const std::vector<double> scores{0.5, 0.75};
  const std::vector<std::string> notes{"", "MA0004.1 Arnt <p=1e-05>"};
  const std::string html = sster::kernel_summary_html(order, scores, 2, 0, notes);
  CHECK(html.find("<td>Kernel 1<br/>score = 0.750<br/>MA0004.1 Arnt &lt;p=1e-05&gt;</td>\n") != std::string::npos);
  CHECK(html.find("<td>Kernel 0<br/>score = 0.500</td>\n") != std::string::npos);
  CHECK(sster::kernel_summary_html(order, scores, 2) == sster::kernel_summary_html(order, scores, 2, 0, {}));
}
