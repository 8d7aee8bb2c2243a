#include <doctest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "sster/model/params.hpp"

using namespace sster;

TEST_CASE("Params defaults are pysster's") {
  const Params p;
  CHECK(p.get_int("conv_num") == 2);
  CHECK(p.get_int("kernel_num") == 30);
  CHECK(p.get_int("kernel_len") == 25);
  CHECK(p.get_int("pool_size") == 2);
  CHECK(p.get_int("pool_stride") == 2);
  CHECK(p.get_int("dense_num") == 1);
  CHECK(p.get_int("neuron_num") == 100);
  CHECK(p.get("dropout_input") == 0.1);
  CHECK(p.get("dropout_conv") == 0.3);
  CHECK(p.get("dropout_dense") == 0.6);
  CHECK(p.get_int("batch_size") == 128);
  CHECK(p.get("learning_rate") == 0.0005);
  CHECK(p.get_int("patience_lr") == 5);
  CHECK(p.get_int("patience_stopping") == 15);
  CHECK(p.get_int("epochs") == 500);
  CHECK(p.get("kernel_constraint") == 3);
  CHECK(p.rnn_type().empty());
  CHECK(p.get_int("rnn_num") == 1);
  CHECK(p.get_int("rnn_units") == 32);
  CHECK(p.get("rnn_bidirectional") == 1);
  CHECK(p.get("rnn_dropout_input") == 0.2);
  CHECK(p.get("rnn_dropout_recurrent") == 0.0);
}

TEST_CASE("per-layer values: one for all layers, or one per layer") {
  auto p = Params{}.conv_num(2).kernel_num({30, 60}).kernel_len(8);
  p.validate();
  CHECK(p.get_int("kernel_num", 0) == 30);
  CHECK(p.get_int("kernel_num", 1) == 60);
  CHECK(p.get_int("kernel_len", 1) == 8);
  p.conv_num(3);
  CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("'kernel_num' has 2 values but there are 3 conv layers"),
                       sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.set("batch_size", std::vector<double>{1, 2}), doctest::Contains("single value"),
                       sster::Error);
}

TEST_CASE("invalid values name the parameter and the allowed range") {
  CHECK_THROWS_WITH_AS(Params{}.kernel_num(0), doctest::Contains("'kernel_num' = 0 is out of range"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.dropout_conv(-0.1), doctest::Contains("[0, 1)"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.dropout_dense(1.0), doctest::Contains("'dropout_dense'"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.kernel_len(2.5), doctest::Contains("whole number"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.set("kernel_size=3"), doctest::Contains("unknown parameter 'kernel_size'"),
                       sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.rnn_type("RNN"), doctest::Contains("LSTM, GRU or none"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.rnn_units(0), doctest::Contains("rnn_units"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.set("epochs=ten"), doctest::Contains("'ten' is not"), sster::Error);
}

TEST_CASE("key=value strings and JSON round-trip") {
  Params p;
  p.set("conv_num=1").set("kernel_num=(20, )").set("dropout_input=0.0").set("rnn_type=gru").set("rnn_bidirectional=false");
  CHECK(p.get_int("conv_num") == 1);
  CHECK(p.get_int("kernel_num") == 20);
  CHECK(p.rnn_type() == "GRU");
  CHECK(p.get("rnn_bidirectional") == 0);
  CHECK(Params::from_json(p.to_json()) == p);
  Params q;
  for (const auto& s : p.to_strings()) q.set(s);
  CHECK(q == p);
  auto r = Params{}.kernel_num({30, 60});
  CHECK(r.to_json()["kernel_num"] == nlohmann::json::array({30, 60}));
  CHECK(Params::from_json(r.to_json()) == r);
}

TEST_CASE("typed values: whole numbers are index_t, per-layer values per layer, rnn_type an enum") {
  static_assert(std::is_same_v<decltype(ParamValues::conv_num), index_t>);
  static_assert(std::is_same_v<decltype(ParamValues::kernel_num), PerLayer<index_t>>);
  static_assert(std::is_same_v<decltype(ParamValues::rnn_bidirectional), PerLayer<bool>>);
  Params p;
  p.set("conv_num=2").set("kernel_num=(20,40)").set("rnn_type=lstm").set("rnn_bidirectional=(true,false)");
  p.set("rnn_num=2").set("epochs=3e1");
  const ParamValues& v = p.values();
  CHECK(v.conv_num == 2);
  CHECK(v.kernel_num[0] == 20);
  CHECK(v.kernel_num[1] == 40);
  CHECK(v.kernel_len[1] == 25);  // one value serves every layer
  CHECK(v.epochs == 30);
  CHECK(v.rnn_type == RnnType::lstm);
  CHECK(v.rnn_bidirectional[0]);
  CHECK_FALSE(v.rnn_bidirectional[1]);
  CHECK(p.to_json()["epochs"].is_number_integer());
  CHECK(p.to_json()["kernel_num"][1].is_number_integer());
  CHECK(p.to_json()["rnn_bidirectional"][1].is_boolean());
  CHECK(p.to_json()["rnn_type"] == "LSTM");
  CHECK(Params{}.to_json()["rnn_type"].is_null());
}

TEST_CASE("JSON by name: every pysster parameter, whole-valued numbers accepted, fractions refused") {
  const std::vector<std::string> pysster = {
      "conv_num", "kernel_num", "kernel_len", "pool_size", "pool_stride", "dense_num", "neuron_num", "dropout_input",
      "dropout_conv", "dropout_dense", "batch_size", "learning_rate", "patience_lr", "patience_stopping", "epochs",
      "kernel_constraint", "rnn_type", "rnn_num", "rnn_units", "rnn_bidirectional", "rnn_dropout_input",
      "rnn_dropout_recurrent"};
  const auto j = Params{}.to_json();
  CHECK(j.size() == pysster.size() + 1);  // and sster's rnn_dropout_masks
  for (const auto& name : pysster) CHECK(j.contains(name));
  CHECK(j["rnn_dropout_masks"] == "per_gate");
  auto written = j;
  written["kernel_num"] = 30.0;
  written["rnn_bidirectional"] = 0;
  written["rnn_type"] = "gru";
  const auto p = Params::from_json(written);
  CHECK(p.values().kernel_num[0] == 30);
  CHECK_FALSE(p.values().rnn_bidirectional[0]);
  CHECK(p.values().rnn_type == RnnType::gru);
  written["kernel_num"] = 2.5;
  CHECK_THROWS_WITH_AS(Params::from_json(written), doctest::Contains("whole number"), sster::Error);
  written["kernel_num"] = 3;
  written["rnn_type"] = 3;
  CHECK_THROWS_WITH_AS(Params::from_json(written), doctest::Contains("'rnn_type'"), sster::Error);
  CHECK_THROWS_WITH_AS(Params{}.values("rnn_type"), doctest::Contains("not numeric"), sster::Error);
}

TEST_CASE("rnn_dropout_masks: per_gate by default (pysster's Keras), shared on request; files without it mean shared") {
  CHECK(Params{}.values().rnn_dropout_masks == RnnDropoutMasks::per_gate);
  Params shared;
  shared.set("rnn_dropout_masks=shared");
  CHECK(shared.values().rnn_dropout_masks == RnnDropoutMasks::shared);
  CHECK(Params{}.rnn_dropout_masks("shared") == shared);
  CHECK_FALSE(shared == Params{});
  CHECK_THROWS_WITH_AS(Params{}.set("rnn_dropout_masks=gate"), doctest::Contains("per_gate or shared"), sster::Error);
  // JSON and key=value round trips keep either value.
  for (const Params& p : {Params{}, shared}) {
    CHECK(Params::from_json(p.to_json()) == p);
    Params q;
    for (const auto& s : p.to_strings()) q.set(s);
    CHECK(q == p);
  }
  // A missing key takes the default, as for every parameter; model files keep
  // their own rule (tests/model/model.test.cpp).
  auto without = Params{}.to_json();
  without.erase("rnn_dropout_masks");
  CHECK(Params::from_json(without) == Params{});
}
