"""The same in PyTorch: every lesson's PyTorch section runs, and says what PyTorch does with the library's weights.

Notebooks 01-18 each hold a markdown section headed "## The same in PyTorch", just before their summary, whose
```python blocks are the only copy of the code: this test extracts and executes them (their asserts state the
shapes and parameter counts the prose gives), then loads weights the library exported into the modules a
section builds and checks that PyTorch computes the library's numbers. The weight bridge (TorchWeights, NpzFile)
is tested in both directions: the library's weights run in PyTorch, and PyTorch's weights run in the library.

The Java side is tools/tests/pytorch/Fixtures.java, run once per session against the built library."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from unrolledtools.common import paths

try:
    import torch
    from torch import nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
except ImportError as error:  # a failure, not a skip: the test command installs PyTorch
    raise ImportError(f"{sys.executable} cannot import torch; ./unrolled test installs Debian's python3-torch "
                      f"for /usr/bin/python3 (run the tests with that interpreter)") from error

HEADING = "## The same in PyTorch"
CODE = re.compile(r"```python\n(.*?)```", re.S)
LESSONS = [p.name for p in paths.notebook_sources() if 1 <= int(p.name[:2]) <= 18]
FIXTURES = paths.ROOT / "tools" / "tests" / "pytorch" / "Fixtures.java"
MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
# one layer; both directions; two stacked layers (the three layouts TorchWeights maps); one fast layer
BRIDGED = [prefix + kind + suffix for kind in MODULES
           for prefix, suffix in (("", ""), ("bi", ""), ("", "stack"), ("fast", ""))]
TORCH_LENGTHS = [5, 6, 3]   # unsorted, so PyTorch's enforce_sorted=False path is exercised
ROUND_OFF = dict(rtol=1e-9, atol=1e-11)   # float64 on both sides


def section(name: str) -> list:
    """The cells from the PyTorch heading up to (not including) the next heading."""
    cells = nbformat.read(paths.NOTEBOOKS / name, as_version=4).cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(HEADING)]
    assert len(starts) == 1, f"{name}: expected one cell starting with '{HEADING}', found {len(starts)}"
    found = [cells[starts[0]]]
    for cell in cells[starts[0] + 1:]:
        if cell.cell_type == "markdown" and cell.source.startswith("#"):
            break
        found.append(cell)
    return found


def snippet(name: str) -> str:
    """The section's Python: its ```python blocks, in order (its Java cells run in the notebook)."""
    return "\n".join(block for cell in section(name) if cell.cell_type == "markdown"
                     for block in CODE.findall(cell.source))


_namespaces: dict[str, dict] = {}


def run_snippet(name: str) -> dict:
    """Executes a lesson's PyTorch code once and returns its variables."""
    if name not in _namespaces:
        namespace = {"__name__": f"pytorch_{name[:2]}"}
        exec(compile(snippet(name), f"{name} ({HEADING[3:]})", "exec"), namespace)
        _namespaces[name] = namespace
    return _namespaces[name]


def tensors(path) -> dict[str, torch.Tensor]:
    with np.load(path) as archive:
        return {key: torch.from_numpy(archive[key].copy()) for key in archive.files}


def state_dict(arrays: dict, prefix: str = "") -> dict[str, torch.Tensor]:
    return {key[len(prefix):]: value for key, value in arrays.items()
            if key.startswith(prefix) and key[len(prefix):].split("_")[0] in ("weight", "bias")}


def module_for(name: str) -> nn.Module:
    kind = next(k for k in MODULES if k in name)
    settings = dict(input_size=4, hidden_size=5, batch_first=True, bidirectional=name.startswith("bi"),
                    num_layers=2 if name.endswith("stack") else 1)
    return MODULES[kind](**settings).double().eval()


def run_packed(module: nn.Module, x: torch.Tensor, lengths: torch.Tensor):
    """outputs (N, T, ·) zero on padding, h_n and c_n (or None), as the library returns them."""
    packed = pack_padded_sequence(x, lengths, batch_first=module.batch_first, enforce_sorted=False)
    with torch.no_grad():
        out, state = module(packed)
    steps = x.shape[1 if module.batch_first else 0]
    outputs, _ = pad_packed_sequence(out, batch_first=module.batch_first, total_length=steps)
    h_n, c_n = state if isinstance(state, tuple) else (state, None)
    return outputs, h_n, c_n


def assert_same_run(module: nn.Module, fixture: dict, batch_first: bool = True):
    x = fixture["x"] if batch_first else fixture["x"].transpose(0, 1)
    outputs, h_n, c_n = run_packed(module, x, fixture["lengths"])
    if not batch_first:
        outputs = outputs.transpose(0, 1)
    torch.testing.assert_close(outputs, fixture["outputs"], **ROUND_OFF)
    torch.testing.assert_close(h_n, fixture["h_n"], **ROUND_OFF)
    if c_n is not None:
        torch.testing.assert_close(c_n, fixture["c_n"], **ROUND_OFF)


@pytest.fixture(scope="module")
def bridge(tmp_path_factory):
    """Writes PyTorch modules' weights for the library, then runs Fixtures.java once."""
    assert paths.LIB_JAR.is_file(), "the library is not built: run ./unrolled setup"
    java = shutil.which("java")
    assert java, "java is not on the PATH"
    directory = tmp_path_factory.mktemp("pytorch-bridge")
    (directory / "from_torch").mkdir()
    for index, name in enumerate(BRIDGED):
        torch.manual_seed(100 + index)
        module = module_for(name)
        x = torch.randn(3, 6, 4, dtype=torch.float64)
        np.savez(directory / "from_torch" / f"{name}.npz", x=x.numpy(), lengths=np.array(TORCH_LENGTHS),
                 **{key: value.detach().numpy() for key, value in module.state_dict().items()})
    done = subprocess.run([java, "-cp", str(paths.LIB_JAR), str(FIXTURES), str(directory)], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"Fixtures.java failed:\n{done.stdout}\n{done.stderr}"
    return directory


def test_every_lesson_from_01_to_18_has_a_pytorch_section_just_before_its_summary():
    assert len(LESSONS) == 18
    for name in LESSONS:
        cells = nbformat.read(paths.NOTEBOOKS / name, as_version=4).cells
        found = section(name)
        after = cells[cells.index(found[-1]) + 1]
        assert after.cell_type == "markdown" and after.source.startswith("## Summary"), (
            f"{name}: the PyTorch section must come right before the '## Summary' cell")
        assert snippet(name).strip(), f"{name}: the PyTorch section has no ```python block"


@pytest.mark.parametrize("name", LESSONS)
def test_pytorch_section_runs_and_its_asserts_hold(name):
    run_snippet(name)


@pytest.mark.parametrize("name", BRIDGED)
def test_library_weights_give_pytorch_the_library_numbers(bridge, name):
    fixture = tensors(bridge / "from_java" / f"{name}.npz")
    module = module_for(name)
    module.load_state_dict(state_dict(fixture), strict=True)
    assert_same_run(module, fixture)


@pytest.mark.parametrize("name", BRIDGED)
def test_pytorch_weights_give_the_library_pytorch_numbers_and_come_back(bridge, name):
    sent = tensors(bridge / "from_torch" / f"{name}.npz")
    module = module_for(name)
    module.load_state_dict(state_dict(sent), strict=True)
    outputs, h_n, c_n = run_packed(module, sent["x"], sent["lengths"])
    java = tensors(bridge / "java_outputs" / f"{name}.npz")
    assert_same_run(module, {**java, "x": sent["x"], "lengths": sent["lengths"]})
    back = state_dict(java, "reexported.")
    assert back.keys() == state_dict(sent).keys()
    for key, value in back.items():
        if key.startswith("weight") or "gru" in name:
            torch.testing.assert_close(value, sent[key], rtol=0, atol=0)   # transposed and reordered back exactly
        elif key.startswith("bias_ih"):
            # the LSTM's and the RNN's one bias holds b_ih + b_hh; b_hh comes back zero
            torch.testing.assert_close(value, sent[key] + sent[key.replace("_ih", "_hh")], **ROUND_OFF)
        else:
            assert torch.count_nonzero(value) == 0
    # ... and that split is the same function: PyTorch with the re-exported weights gives the same numbers
    module.load_state_dict(back, strict=True)
    torch.testing.assert_close(run_packed(module, sent["x"], sent["lengths"])[0], outputs, **ROUND_OFF)


def fixture_of(bridge, name):
    return tensors(bridge / "from_java" / f"{name}.npz")


def module_check(variable: str, fixture_name: str):
    """The section's module `variable`, given the library's weights, computes the library's outputs and states."""
    def check(ns, bridge):
        module = ns[variable].double()
        fixture = fixture_of(bridge, fixture_name)
        module.load_state_dict(state_dict(fixture))
        assert_same_run(module, fixture, batch_first=module.batch_first)
    return check


def check_02(ns, bridge):
    fixture = fixture_of(bridge, "rnn_gradients")
    rnn = ns["rnn"]
    rnn.load_state_dict(state_dict(fixture))
    rnn.zero_grad()
    x = fixture["x"].transpose(0, 1).clone().requires_grad_()    # the section is time-first
    output, _ = rnn(x)
    (fixture["G"].transpose(0, 1) * output).sum().backward()
    torch.testing.assert_close(output.transpose(0, 1), fixture["outputs"], **ROUND_OFF)
    torch.testing.assert_close(rnn.weight_ih_l0.grad, fixture["dWx"].T, **ROUND_OFF)
    torch.testing.assert_close(rnn.weight_hh_l0.grad, fixture["dWh"].T, **ROUND_OFF)
    torch.testing.assert_close(rnn.bias_ih_l0.grad, fixture["db"][0], **ROUND_OFF)
    torch.testing.assert_close(rnn.bias_hh_l0.grad, fixture["db"][0], **ROUND_OFF)
    torch.testing.assert_close(x.grad.transpose(0, 1), fixture["dx"], **ROUND_OFF)


def check_04(ns, bridge):
    fixture = fixture_of(bridge, "clipping")
    parameters = [nn.Parameter(torch.zeros_like(fixture["a"])), nn.Parameter(torch.zeros_like(fixture["b"]))]
    parameters[0].grad, parameters[1].grad = fixture["a"].clone(), fixture["b"].clone()
    norm = nn.utils.clip_grad_norm_(parameters, max_norm=1.0)
    torch.testing.assert_close(norm, fixture["norm"].reshape(()), **ROUND_OFF)
    assert norm > 1
    # PyTorch scales by c / (norm + 1e-6), the library by exactly c / norm, as the section says
    ratio = norm / (norm + 1e-6)
    torch.testing.assert_close(parameters[0].grad, fixture["clipped_a"] * ratio, **ROUND_OFF)
    torch.testing.assert_close(parameters[1].grad, fixture["clipped_b"] * ratio, **ROUND_OFF)
    assert not torch.allclose(parameters[0].grad, fixture["clipped_a"], rtol=1e-9, atol=0)


def check_07(ns, bridge):
    # which slice is which: the library's bidirectional layer keeps the convention the section states
    fixture = fixture_of(bridge, "bilstm")
    H = ns["H"]
    for n, length in enumerate(fixture["lengths"].tolist()):
        torch.testing.assert_close(fixture["h_n"][0, n], fixture["outputs"][n, length - 1, :H], rtol=0, atol=0)
        torch.testing.assert_close(fixture["h_n"][1, n], fixture["outputs"][n, 0, H:], rtol=0, atol=0)
    stack = fixture_of(bridge, "lstmstack")
    assert stack["weight_ih_l1"].shape == (4 * H, H) and stack["h_n"].shape[0] == 2


def check_09(ns, bridge):
    fixture = fixture_of(bridge, "cross_entropy")
    logits = fixture["logits"].clone().requires_grad_()
    targets = fixture["targets"].clone()
    targets[fixture["mask"] == 0] = ns["PAD"]
    loss = ns["loss_fn"](logits.transpose(1, 2), targets)
    loss.backward()
    torch.testing.assert_close(loss, fixture["loss"].reshape(()), **ROUND_OFF)
    torch.testing.assert_close(logits.grad, fixture["dLogits"], **ROUND_OFF)


def check_14(ns, bridge):
    fixture = fixture_of(bridge, "attention")
    lengths = fixture["lengths"]
    padded = torch.arange(fixture["k"].shape[1])[None, :] >= lengths[:, None]
    context, weights = ns["attention"](fixture["q"], fixture["k"], fixture["v"], padded)
    torch.testing.assert_close(context, fixture["output"], **ROUND_OFF)
    torch.testing.assert_close(weights, fixture["weights"], **ROUND_OFF)


def check_16(ns, bridge):
    fixture = fixture_of(bridge, "causal_conv")
    conv, pad = ns["conv"].double(), ns["pad"]
    with torch.no_grad():
        conv.weight.copy_(fixture["W"].permute(2, 1, 0))     # (K, D, F) -> (F, D, K)
        conv.bias.copy_(fixture["b"][0])
        y = conv(nn.functional.pad(fixture["x"].transpose(1, 2), (pad, 0))).transpose(1, 2)
    torch.testing.assert_close(y, fixture["y"], **ROUND_OFF)


CHECKS = {"01": module_check("rnn", "rnn"), "02": check_02, "04": check_04, "05": module_check("lstm", "lstm"),
          "06": module_check("gru", "gru"), "07": check_07, "08": module_check("lstm", "bilstm"), "09": check_09,
          "14": check_14, "16": check_16}


@pytest.mark.parametrize("name", [n for n in LESSONS if n[:2] in CHECKS])
def test_pytorch_section_computes_the_library_numbers_on_the_same_weights(bridge, name):
    CHECKS[name[:2]](run_snippet(name), bridge)
