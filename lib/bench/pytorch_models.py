#!/usr/bin/env python3
"""Whole models in PyTorch, the same as lib/bench's Java models (unrolled.bench.Models), for the end-to-end table.

Each model is one call, timed as the Java side times it, in float32 on the CPU:

  charlm-train      notebook 10's character language model: Embedding(85, 16), LSTM(16, 128, batch_first),
                    Linear(128, 85), mean softmax cross-entropy over N x T = 32 x 48 positions, global-norm clipping
                    at 1.0 (clip_grad_norm_), Adam(lr 0.02): one training step
  charlm-sample     that model writing 200 characters after a prompt of 8, one at a time at batch 1: the prompt read,
                    then per character a draw from softmax(z / 0.5) (torch.multinomial) fed back as the next input with
                    the LSTM's state; the <eos> logit held down, as on the Java side, so that every call draws 200
  classifier-train  notebook 10's name classifier: Embedding(57, 16), LSTM(16, 32), the last step's h, Linear(32, 2),
                    mean cross-entropy over N = 128 names of T = 8 characters, clipping at 1.0, Adam(0.02)
  classifier-infer  its forward pass over the batch under no_grad: the logits (N, 2)
  seq2seq-train     notebook 14's reverser (V = 12, embedding 16, GRU 32, additive attention, N = 64 pairs of lengths
                    3-12), teacher forcing, the same clipping and Adam
  seq2seq-greedy    its greedy decoding of the batch, 14 tokens and <eos> (<eos> held down, so every row runs 15 steps)
  seq2seq-beam      its beam search, width 5, over one source of 12, 15 steps, the beam scored as one batch per step
  transformer-train notebook 16's causal Transformer block (d = 16, 2 heads, feed-forward 32) on N x T = 16 x 64, with
                    a linear embedding of 5 features and a readout of the last step to 4 classes

The parameter counts differ from the Java models by design: PyTorch's recurrent layers have two bias vectors (b_ih and
b_hh) where Unrolled's cells have one, 4H more for an LSTM; --check prints both.

  /usr/bin/python3 lib/bench/pytorch_models.py --check        parameter counts and the first loss of each model
  /usr/bin/python3 lib/bench/pytorch_models.py --serve        answers 'MODEL THREADS SECONDS' with 'wall-ms cpu-ms calls'

libgomp's threads wait passively (OMP_WAIT_POLICY=PASSIVE), as in pytorch_rnn.py. Not part of any test.
"""
import os
import sys

from pytorch_rnn import answer_slice, blas_name, set_threads

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def char_lm(torch, nn):
    """Notebook 10's character language model and its training step."""
    V, E, H, N, T = 85, 16, 128, 32, 48

    class CharLm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.rnn = nn.LSTM(E, H, batch_first=True)
            self.output = nn.Linear(H, V)

        def forward(self, ids):
            y, _ = self.rnn(self.embedding(ids))
            return self.output(y)

    torch.manual_seed(10)
    model = CharLm()
    ids = torch.randint(0, V, (N, T + 1))
    inputs, targets = ids[:, :-1], ids[:, 1:].reshape(-1)
    return model, lambda: nn.functional.cross_entropy(model(inputs).reshape(-1, V), targets)


def char_lm_sample(torch, nn, length=200, prompt_length=8, temperature=0.5):
    """The character language model writing characters one at a time, as notebook 10 samples."""
    model, _ = char_lm(torch, nn)
    V = model.output.out_features
    with torch.no_grad():
        model.output.bias[EOS] = -1e4
    prompt = torch.randint(0, V, (1, prompt_length))
    generator = torch.Generator().manual_seed(0)

    def sample():
        with torch.no_grad():
            y, state = model.rnn(model.embedding(prompt))
            z = model.output(y[:, -1])
            written = []
            for i in range(length):
                # c ~ softmax(z / tau), fed back with the state
                c = torch.multinomial(torch.softmax(z / temperature, dim=1), 1, generator=generator)
                written.append(int(c))
                if i + 1 < length:
                    y, state = model.rnn(model.embedding(c), state)
                    z = model.output(y[:, -1])
            return written

    return sample


def classifier_infer(torch, nn):
    """The name classifier's forward pass over its batch, no gradient."""
    model, _ = classifier(torch, nn)
    model.eval()
    ids = torch.randint(0, 57, (128, 8))

    def infer():
        with torch.no_grad():
            return model(ids)

    return infer


def classifier(torch, nn):
    """Notebook 10's name classifier and its training step."""
    V, E, H, K, N, T = 57, 16, 32, 2, 128, 8

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.rnn = nn.LSTM(E, H, batch_first=True)
            self.output = nn.Linear(H, K)

        def forward(self, ids):
            _, (h, _) = self.rnn(self.embedding(ids))
            return self.output(h[-1])

    torch.manual_seed(7)
    model = Classifier()
    ids = torch.randint(0, V, (N, T))
    labels = torch.randint(0, K, (N,))
    return model, lambda: nn.functional.cross_entropy(model(ids), labels)


PAD, BOS, EOS = 0, 2, 3


def reverser(torch, nn):
    """Notebook 14's reverser: GRU encoder-decoder with additive (Bahdanau) attention, as unrolled.seq2seq.EncoderDecoder.

    encoder: m = GRU(E_src[x]) over the real steps (packed), s = its final state
    decoder, t = 0..T-1:  u_j = tanh(s_{t-1} Wq + m_j Wm + b), e_j = u_j v, a = softmax(e) over real j, c_t = sum a_j m_j
                          s_t = GRUCell([E_tgt[y_{t-1}], c_t], s_{t-1}),  z_t = [s_t, c_t] W + b
    loss: mean cross-entropy over the real target steps (the target and <eos>), teacher forcing
    """
    V, E, H, N = 12, 16, 32, 64

    class Reverser(nn.Module):
        def __init__(self):
            super().__init__()
            self.source_embedding = nn.Embedding(V, E, padding_idx=PAD)
            self.encoder = nn.GRU(E, H, batch_first=True)
            self.target_embedding = nn.Embedding(V, E, padding_idx=PAD)
            self.decoder = nn.GRUCell(E + H, H)
            self.query = nn.Linear(H, H, bias=False)
            self.key = nn.Linear(H, H)
            self.score = nn.Linear(H, 1, bias=False)
            self.output = nn.Linear(2 * H, V)

        def encode(self, sources, lengths):
            packed = nn.utils.rnn.pack_padded_sequence(self.source_embedding(sources), lengths, batch_first=True,
                                                       enforce_sorted=False)
            memory, state = self.encoder(packed)
            memory, _ = nn.utils.rnn.pad_packed_sequence(memory, batch_first=True)
            keys = self.key(memory)
            real = torch.arange(memory.shape[1])[None, :] < lengths[:, None]
            return memory, keys, real, state[0]

        def step(self, previous, state, memory, keys, real):
            u = torch.tanh(self.query(state)[:, None, :] + keys)
            e = self.score(u).squeeze(2).masked_fill(~real, float("-inf"))
            context = torch.bmm(torch.softmax(e, dim=1)[:, None, :], memory).squeeze(1)
            state = self.decoder(torch.cat([self.target_embedding(previous), context], dim=1), state)
            return self.output(torch.cat([state, context], dim=1)), state

        def forward(self, sources, lengths, decoder_inputs):
            memory, keys, real, state = self.encode(sources, lengths)
            logits = []
            for t in range(decoder_inputs.shape[1]):
                z, state = self.step(decoder_inputs[:, t], state, memory, keys, real)
                logits.append(z)
            return torch.stack(logits, dim=1)

    torch.manual_seed(1)
    model = Reverser()
    generator = torch.Generator().manual_seed(14)
    lengths = torch.tensor([3 + i % 10 for i in range(N)])
    sources = torch.full((N, 12), PAD, dtype=torch.long)
    targets = torch.full((N, 13), PAD, dtype=torch.long)
    for i in range(N):
        ids = torch.randint(4, V, (int(lengths[i]),), generator=generator)
        sources[i, :len(ids)] = ids
        targets[i, :len(ids)] = ids.flip(0)
        targets[i, len(ids)] = EOS
    decoder_inputs = torch.cat([torch.full((N, 1), BOS, dtype=torch.long), targets[:, :-1]], dim=1)
    decoder_inputs[decoder_inputs == EOS] = PAD

    def loss_of():
        z = model(sources, lengths, decoder_inputs)
        return nn.functional.cross_entropy(z.reshape(-1, V), targets.reshape(-1), ignore_index=PAD)

    return model, loss_of, (sources, lengths)


def seq2seq_train(torch, nn):
    model, loss_of, _ = reverser(torch, nn)
    return model, loss_of


def hold_down_end(torch, model):
    with torch.no_grad():
        model.output.bias[EOS] = -1e4


def seq2seq_greedy(torch, nn, max_output=14):
    """Greedy decoding of the whole batch, 15 steps (14 tokens and <eos>, whose logit is held down), as the Java side."""
    model, _, (sources, lengths) = reverser(torch, nn)
    hold_down_end(torch, model)

    def greedy():
        with torch.no_grad():
            memory, keys, real, state = model.encode(sources, lengths)
            previous = torch.full((sources.shape[0],), BOS, dtype=torch.long)
            done = torch.zeros(sources.shape[0], dtype=torch.bool)
            out = []
            for t in range(max_output + 1):
                z, state = model.step(previous, state, memory, keys, real)
                previous = z.argmax(dim=1)
                done |= previous == EOS
                out.append(previous)
                if bool(done.all()):
                    break
            return out

    return greedy


def seq2seq_beam(torch, nn, width=5, max_output=14):
    """Beam search (width 5) over one source of 12, the beam's prefixes scored as one batch per step."""
    model, _, (sources, lengths) = reverser(torch, nn)
    hold_down_end(torch, model)
    source, length = sources[9:10], lengths[9:10]

    def beam():
        with torch.no_grad():
            memory, keys, real, state = model.encode(source, length)
            scores = torch.zeros(1)
            previous = torch.full((1,), BOS, dtype=torch.long)
            tokens = torch.zeros((1, 0), dtype=torch.long)
            for t in range(max_output + 1):
                k = previous.shape[0]
                z, state = model.step(previous, state, memory.expand(k, -1, -1), keys.expand(k, -1, -1),
                                      real.expand(k, -1))
                total = (scores[:, None] + torch.log_softmax(z, dim=1)).reshape(-1)
                scores, best = total.topk(min(width, total.shape[0]))
                parents, previous = best // z.shape[1], best % z.shape[1]
                state = state[parents]
                tokens = torch.cat([tokens[parents], previous[:, None]], dim=1)
            return tokens

    return beam


def transformer(torch, nn):
    """Notebook 16's Transformer: Linear(5, 16), sinusoidal positions, one causal post-norm encoder block (2 heads,
    feed-forward 32, ReLU, no dropout), Linear(16, 4) on the last step; N = 16, T = 64."""
    INPUTS, D, F, CLASSES, N, T = 5, 16, 32, 4, 16, 64

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(INPUTS, D)
            self.block = nn.TransformerEncoderLayer(D, 2, F, dropout=0.0, batch_first=True)
            self.output = nn.Linear(D, CLASSES)
            position = torch.arange(T)[:, None]
            rate = torch.exp(torch.arange(0, D, 2) * (-torch.log(torch.tensor(10000.0)) / D))
            table = torch.zeros(T, D)
            table[:, 0::2] = torch.sin(position * rate)
            table[:, 1::2] = torch.cos(position * rate)
            self.register_buffer("positions", table)
            self.register_buffer("causal", torch.triu(torch.full((T, T), float("-inf")), diagonal=1))

        def forward(self, x):
            y = self.block(self.embed(x) + self.positions, src_mask=self.causal)
            return self.output(y[:, -1, :])

    torch.manual_seed(4)
    model = Model()
    x = torch.rand(N, T, INPUTS)
    labels = torch.arange(N) % CLASSES
    return model, lambda: nn.functional.cross_entropy(model(x), labels)


MODELS = {"charlm-train": char_lm, "classifier-train": classifier, "seq2seq-train": seq2seq_train,
          "transformer-train": transformer}
DECODERS = {"seq2seq-greedy": seq2seq_greedy, "seq2seq-beam": seq2seq_beam, "charlm-sample": char_lm_sample,
            "classifier-infer": classifier_infer}


def training_step(torch, model, loss_of):
    """One step as a PyTorch training loop runs it: zero the gradients, forward, loss, backward, clip, Adam."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss

    return step


def main():
    try:
        import torch
        import torch.nn as nn
    except ImportError:
        sys.exit("pytorch_models.py: this Python has no torch (Debian: apt-get install python3-torch)")
    if "--check" in sys.argv:
        for name, build in MODELS.items():
            model, loss_of = build(torch, nn)
            count = sum(p.numel() for p in model.parameters())
            print(f"{name}\tparameters {count}\tfirst loss {loss_of().item():.4f}")
        return
    if "--serve" not in sys.argv:
        sys.exit(__doc__)
    steps = {}
    print(f"ready torch {torch.__version__}, BLAS {blas_name(torch)}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}", flush=True)
    for line in sys.stdin:
        name, threads, seconds = line.split()
        set_threads(torch, int(threads))
        if name not in steps:
            if name in DECODERS:
                steps[name] = DECODERS[name](torch, nn)
            else:
                model, loss_of = MODELS[name](torch, nn)
                steps[name] = training_step(torch, model, loss_of)
        answer_slice(steps[name], float(seconds))


if __name__ == "__main__":
    main()
