#!/usr/bin/env python3
"""Regenerates the example documents in this directory (python3 + the 'cryptography' package).

    python3 schemas/examples/generate.py

Valid examples are realistic and consistent with each other: contract `cards` digests are the SHA-256 of the example card
files, lineage parents cite the parent contract's package digest, envelopes carry the example payload bytes and real
Ed25519 signatures over the DSSE PAE by deterministic example keys (seeds are SHA-256 of a label; never use them for
anything real). Each invalid example is a valid one with exactly one defect, named by its file name; SchemaExamplesTest
maps every invalid file to the part of the validator message that must mention the defect.
"""
import base64
import copy
import hashlib
import json
import pathlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = pathlib.Path(__file__).resolve().parent
WRITTEN = []


def dumps(doc):
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write(kind, validity, name, doc):
    path = ROOT / kind / validity / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dumps(doc)
    path.write_bytes(data)
    WRITTEN.append(path)
    return data


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def fake_digest(label):
    """Digest of a stand-in for bytes not in this directory (weights, datasets)."""
    return sha256(label.encode("utf-8"))


class Key:
    def __init__(self, label):
        self.private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.keyid = hashlib.sha256(raw).hexdigest()
        self.public = base64.b64encode(raw).decode()

    def entry(self):
        return {"keyid": self.keyid, "publicKey": self.public}


def pae(payload_type, body):
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def envelope(kind, body, *keys):
    payload_type = "application/vnd.grove.%s+json" % kind
    return {
        "payloadType": payload_type,
        "payload": base64.b64encode(body).decode(),
        "signatures": [{"keyid": k.keyid, "sig": base64.b64encode(k.private.sign(pae(payload_type, body))).decode()}
                       for k in keys],
    }


def without(doc, *path):
    doc = copy.deepcopy(doc)
    target = doc
    for p in path[:-1]:
        target = target[p]
    del target[path[-1]]
    return doc


def setting(doc, value, *path):
    doc = copy.deepcopy(doc)
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return doc


PUBLISHER = Key("grove example key: demo publisher")
CI = Key("grove example key: demo ci")
COMMUNITY = Key("grove example key: community publisher")
LANGS = ["en", "fr", "de", "es", "it", "nl"]
UDHR = fake_digest("udhr: 6 languages, articles 1-30, train split")
UDHR_HELDOUT = fake_digest("udhr: 6 languages, held-out split")

# ---------------------------------------------------------------- lineage
lineage_train = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid", "version": "1.0.0"},
    "operator": "train",
    "parameters": {"optimizer": "adam", "learningRate": 0.01, "epochs": 40, "batchSize": 64, "seed": 7},
    "data": [{"name": "udhr", "digest": UDHR, "description": "Universal Declaration of Human Rights (Déclaration universelle des droits "
              "de l’homme, Allgemeine Erklärung der Menschenrechte, …) in 6 languages, train split (articles 1-24)", "license": "public-domain", "languages": LANGS}],
}
lineage_train_bytes = write("lineage", "valid", "train-langid.json", lineage_train)

evaluation_langid = {
    "schema": "grove.evaluation/v1",
    "subject": {"name": "demo/langid", "version": "1.0.0"},
    "evaluations": [{
        "dataset": {"name": "udhr-heldout", "digest": UDHR_HELDOUT},
        "metrics": [
            {"name": "accuracy", "value": 0.93, "samples": 600,
             "breakdown": [{"factor": "language", "level": lang, "value": v, "samples": 100}
                           for lang, v in zip(LANGS, [0.97, 0.95, 0.94, 0.91, 0.9, 0.91])]},
            {"name": "macro-f1", "value": 0.929, "samples": 600},
        ],
    }],
}
evaluation_langid_bytes = write("evaluation", "valid", "langid-per-language.json", evaluation_langid)

# ---------------------------------------------------------------- contracts
contract_langid = {
    "schema": "grove.contract/v1",
    "name": "demo/langid",
    "version": "1.0.0",
    "summary": "Language identification for 6 European languages (en, fr, de, es, it, nl), character n-gram MLP",
    "license": "Apache-2.0",
    "task": "text-classification",
    "tags": ["language-id", "udhr", "tiny"],
    "interface": {
        "inputs": [{"name": "text", "dtype": "string", "shape": []}],
        "outputs": [{"name": "probabilities", "dtype": "float32", "shape": [6], "labels": LANGS}],
    },
    "architecture": {"family": "mlp", "opset": 1, "config": {
        "features": {"kind": "char-ngram-hash", "n": [1, 2, 3], "buckets": 1024, "lowercase": True},
        "hidden": [16], "activation": "relu", "output": "softmax"}},
    "resources": {"parameters": 16502, "bytes": 66152},
    "artifacts": [{"path": "weights/model.safetensors", "mediaType": "application/vnd.safetensors", "size": 66152,
                   "digest": fake_digest("demo/langid 1.0.0 weights/model.safetensors")}],
    "cards": {"lineage": sha256(lineage_train_bytes), "evaluation": sha256(evaluation_langid_bytes)},
}
contract_langid_bytes = write("contract", "valid", "langid.json", contract_langid)
LANGID_DIGEST = sha256(contract_langid_bytes)

lineage_int8 = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid-int8", "version": "1.0.0"},
    "operator": "quantize",
    "parameters": {"scheme": "int8-per-channel", "calibration": {"dataset": "udhr", "samples": 256}},
    "parents": [{"digest": LANGID_DIGEST, "origin": "https://grove.example.org", "ref": "demo/langid@1.0.0"}],
    "data": [{"name": "udhr-calibration", "digest": UDHR, "description": "256 training sentences for activation ranges"}],
}
lineage_int8_bytes = write("lineage", "valid", "quantize-int8.json", lineage_int8)

evaluation_int8 = {
    "schema": "grove.evaluation/v1",
    "subject": {"name": "demo/langid-int8", "version": "1.0.0"},
    "evaluations": [
        {"dataset": {"name": "udhr-heldout", "digest": UDHR_HELDOUT},
         "metrics": [{"name": "accuracy", "value": 0.925, "samples": 600,
                      "breakdown": [{"factor": "language", "level": lang, "value": v, "samples": 100}
                                    for lang, v in zip(LANGS, [0.97, 0.94, 0.94, 0.9, 0.89, 0.91])]},
                     {"name": "agreement-with-parent", "value": 0.988, "samples": 600}]},
        {"dataset": {"name": "tatoeba-short-sentences", "digest": fake_digest("tatoeba: 6 languages, <= 40 chars")},
         "metrics": [{"name": "accuracy", "value": 0.81, "samples": 1200,
                      "breakdown": [{"factor": "length", "level": "1-10", "value": 0.62, "samples": 300},
                                    {"factor": "length", "level": "11-40", "value": 0.873, "samples": 900}]}]},
    ],
}
evaluation_int8_bytes = write("evaluation", "valid", "langid-int8-two-datasets.json", evaluation_int8)

contract_int8 = copy.deepcopy(contract_langid)
contract_int8.update({
    "name": "demo/langid-int8",
    "summary": "demo/langid 1.0.0 quantised to int8 per channel: 4x smaller, 0.5 points less accurate",
    "tags": ["language-id", "udhr", "tiny", "int8"],
    "architecture": {"family": "mlp", "opset": 1, "config": dict(contract_langid["architecture"]["config"],
                                                                 quantization={"dtype": "int8", "per": "channel"})},
    "resources": {"parameters": 16502, "bytes": 16776},
    "artifacts": [
        {"path": "weights/model.safetensors", "mediaType": "application/vnd.safetensors", "size": 16656,
         "digest": fake_digest("demo/langid-int8 1.0.0 weights/model.safetensors")},
        {"path": "weights/scales.safetensors", "mediaType": "application/vnd.safetensors", "size": 120,
         "digest": fake_digest("demo/langid-int8 1.0.0 weights/scales.safetensors")},
        {"path": "README.md", "mediaType": "text/markdown", "size": 1834,
         "digest": fake_digest("demo/langid-int8 1.0.0 README.md")},
    ],
    "cards": {"lineage": sha256(lineage_int8_bytes), "evaluation": sha256(evaluation_int8_bytes)},
})
contract_int8["interface"]["outputs"][0]["dtype"] = "float32"
contract_int8_bytes = write("contract", "valid", "langid-int8.json", contract_int8)

contract_rc = copy.deepcopy(contract_langid)
contract_rc.update({
    "version": "1.3.0-rc.1",
    "summary": "Release candidate: adds Portuguese and Polish, and an optional script hint",
    "license": "Apache-2.0 AND LicenseRef-udhr-notice",
    "resources": {"parameters": 16536, "bytes": 66288},
    "artifacts": [{"path": "weights/model.safetensors", "mediaType": "application/vnd.safetensors", "size": 66288,
                   "digest": fake_digest("demo/langid 1.3.0-rc.1 weights/model.safetensors")}],
})
contract_rc["interface"] = {
    "inputs": [{"name": "text", "dtype": "string", "shape": []},
               {"name": "script_hint", "dtype": "int32", "shape": [-1], "optional": True}],
    "outputs": [{"name": "probabilities", "dtype": "float32", "shape": [8], "labels": LANGS + ["pt", "pl"]}],
}
write("contract", "valid", "langid-prerelease-optional-input.json", contract_rc)

# a merge with two parents, one on another node
contract_news = {"name": "community/langid-news", "version": "2.0.1"}
NEWS_DIGEST = fake_digest("community/langid-news 2.0.1 contract payload")
lineage_merge = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid-merged", "version": "0.1.0"},
    "operator": "merge",
    "parameters": {"method": "linear", "weights": [0.6, 0.4], "layers": "all"},
    "parents": [
        {"digest": LANGID_DIGEST, "ref": "demo/langid@1.0.0"},
        {"digest": NEWS_DIGEST, "origin": "https://grove.community.example/", "ref": "community/langid-news@2.0.1"},
    ],
}
write("lineage", "valid", "merge-two-parents.json", lineage_merge)

lineage_distill = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid-xs", "version": "1.0.0-alpha.2"},
    "operator": "distill",
    "parents": [{"digest": LANGID_DIGEST}],
    "data": [{"name": "udhr", "digest": UDHR}, {"name": "wikipedia-sentences-unlabelled"}],
}
write("lineage", "valid", "distill-minimal-parent.json", lineage_distill)

evaluation_empty = {
    "schema": "grove.evaluation/v1",
    "subject": {"name": "demo/langid-merged", "version": "0.1.0"},
    "evaluations": [],
}
write("evaluation", "valid", "not-yet-evaluated.json", evaluation_empty)

# an adapter: only its low-rank tensors, over a base named by digest
NORDIC = fake_digest("udhr: sv, da, nb clauses, train split")
lineage_adapter = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid-nordic-adapter", "version": "1.0.0"},
    "operator": "adapter",
    "parameters": {"method": "lora", "rank": 1, "alpha": 4.0, "layers": ["dense0", "dense1"], "learning_rate": 0.001,
                   "epochs": 2, "batch_size": 16, "seed": 7},
    "parents": [{"digest": LANGID_DIGEST, "ref": "demo/langid@1.0.0"}],
    "data": [{"name": "langid-nordic-train.tsv", "digest": NORDIC, "description": "adapter training data (361 samples)"}],
}
lineage_adapter_bytes = write("lineage", "valid", "adapter-lora.json", lineage_adapter)
contract_adapter = copy.deepcopy(contract_langid)
contract_adapter.update({
    "name": "demo/langid-nordic-adapter",
    "summary": "Low-rank adapter (rank 1) on demo/langid 1.0.0 for Swedish, Danish and Bokmål",
    "tags": ["language-id", "udhr", "adapter"],
    "architecture": {"family": "lora", "opset": 1, "config": {"rank": 1, "alpha": 4.0}},
    "adapter": {"base": {"name": "demo/langid", "version": "1.0.0", "digest": LANGID_DIGEST,
                         "weights": contract_langid["artifacts"][0]["digest"]}},
    "resources": {"parameters": 1066, "bytes": 4624},
    "artifacts": [{"path": "weights/model.safetensors", "mediaType": "application/vnd.safetensors", "size": 4624,
                   "digest": fake_digest("demo/langid-nordic-adapter 1.0.0 weights/model.safetensors")},
                  {"path": "data/langid-nordic-train.tsv", "mediaType": "text/tab-separated-values", "size": 27839,
                   "digest": NORDIC}],
    "cards": {"lineage": sha256(lineage_adapter_bytes), "evaluation": sha256(evaluation_langid_bytes)},
})
write("contract", "valid", "langid-nordic-adapter.json", contract_adapter)
# a cascade: answers with demo/langid-int8 when its top probability reaches 0.9, else asks demo/langid
contract_cascade = copy.deepcopy(contract_langid)
contract_cascade.update({
    "name": "demo/langid-cascade",
    "summary": "demo/langid-int8, escalating to demo/langid when its top probability is below 0.9",
    "tags": ["language-id", "udhr", "cascade"],
    "architecture": {"family": "cascade", "opset": 1, "config": {"rule": "top-probability", "members": [
        {"name": "demo/langid-int8", "version": "1.0.0", "digest": sha256(contract_int8_bytes), "threshold": 0.9},
        {"name": "demo/langid", "version": "1.0.0", "digest": LANGID_DIGEST}]}},
    "resources": {"parameters": 0, "bytes": 0},
    "artifacts": [{"path": "README.md", "mediaType": "text/markdown", "size": 2210,
                   "digest": fake_digest("demo/langid-cascade 1.0.0 README.md")}],
})
write("contract", "valid", "langid-cascade.json", contract_cascade)
lineage_cascade = {
    "schema": "grove.lineage/v1",
    "subject": {"name": "demo/langid-cascade", "version": "1.0.0"},
    "operator": "cascade",
    "parameters": {"rule": "top-probability", "thresholds": [0.9], "target": 0.003},
    "parents": [{"digest": sha256(contract_int8_bytes), "ref": "demo/langid-int8@1.0.0"},
                {"digest": LANGID_DIGEST, "ref": "demo/langid@1.0.0"}],
}
write("lineage", "valid", "cascade-two-members.json", lineage_cascade)
CC = contract_cascade

# ---------------------------------------------------------------- envelopes, bundles
env_contract = envelope("contract", contract_langid_bytes, PUBLISHER)
env_lineage = envelope("lineage", lineage_train_bytes, PUBLISHER)
env_evaluation = envelope("evaluation", evaluation_langid_bytes, PUBLISHER)
env_int8_contract = envelope("contract", contract_int8_bytes, PUBLISHER, CI)
env_int8_lineage = envelope("lineage", lineage_int8_bytes, PUBLISHER, CI)
env_int8_evaluation = envelope("evaluation", evaluation_int8_bytes, CI)
write("envelope", "valid", "contract-one-signature.json", env_contract)
write("envelope", "valid", "lineage-two-signatures.json", env_int8_lineage)
yank_doc = {"schema": "grove.yank/v2", "name": "demo/langid", "version": "1.0.0", "digest": sha256(contract_langid_bytes),
            "reason": "labels 'es' and 'it' were swapped in the output; use 1.0.1"}
write("envelope", "valid", "yank.json", envelope("yank", dumps(yank_doc), PUBLISHER))

bundle_langid = {"contract": env_contract, "lineage": env_lineage, "evaluation": env_evaluation,
                 "keys": [PUBLISHER.entry()]}
bundle_int8 = {"contract": env_int8_contract, "lineage": env_int8_lineage, "evaluation": env_int8_evaluation,
               "keys": [PUBLISHER.entry(), CI.entry()]}
write("bundle", "valid", "langid.json", bundle_langid)
write("bundle", "valid", "langid-int8-two-signers.json", bundle_int8)

# ---------------------------------------------------------------- keysets, yanks
def keyset_digest(namespace, sequence, keys):
    """The digest that names a keyset (protocol.md, "Keyset changes and yanks")."""
    text = "grove.keyset\n%s\n%d\n" % (namespace, sequence) + "".join(k.keyid + "\n" for k in sorted(keys, key=lambda k: k.keyid))
    return sha256(text.encode("utf-8"))


# the first publish binds demo to PUBLISHER (sequence 1); the changes after it name the keyset they replace
keyset_rotation = {"schema": "grove.keyset/v2", "namespace": "demo", "sequence": 2,
                   "previous": keyset_digest("demo", 1, [PUBLISHER]), "keys": [PUBLISHER.entry(), CI.entry()]}
keyset_handover = {"schema": "grove.keyset/v2", "namespace": "demo", "sequence": 3,
                   "previous": keyset_digest("demo", 2, [PUBLISHER, CI]), "keys": [CI.entry()]}
write("keyset", "valid", "add-ci-key.json", keyset_rotation)
write("keyset", "valid", "hand-over-to-ci.json", keyset_handover)
write("yank", "valid", "wrong-labels.json", yank_doc)
write("yank", "valid", "prerelease.json", {"schema": "grove.yank/v2", "name": "demo/langid", "version": "1.3.0-rc.1",
                                            "digest": fake_digest("contract of demo/langid@1.3.0-rc.1"),
                                            "reason": "Release candidate superseded by 1.3.0-rc.2 (Polish training data "
                                                      "was duplicated)."})

# ---------------------------------------------------------------- invalid examples: one defect each
# payloads whose base64 actually shows the defect: padding to strip, and '+' or '/' to turn into '-' or '_'
BODIES = [contract_langid_bytes, contract_int8_bytes, lineage_train_bytes, lineage_int8_bytes, evaluation_langid_bytes,
          evaluation_int8_bytes]
PADDED_BODY = next(b for b in BODIES if len(b) % 3 != 0)
# a '?' (0x3f) as the third byte of a base64 group encodes as '/': pad the reason until it lands there
URL_SAFE_BODY = next(b for b in (dumps(setting(yank_doc, "Were labels swapped" + " " * i + "? Yes: use 1.0.1", "reason"))
                                 for i in range(3)) if base64.b64encode(b) != base64.urlsafe_b64encode(b))
C = contract_langid
invalid = {
    "contract": {
        "missing-version.json": without(C, "version"),
        "build-metadata-in-version.json": setting(C, "1.0.0+build.5", "version"),
        "leading-zero-in-version.json": setting(C, "1.02.0", "version"),
        "wrong-schema-tag.json": setting(C, "grove.contract/v2", "schema"),
        "uppercase-name.json": setting(C, "Demo/LangID", "name"),
        "name-without-namespace.json": setting(C, "langid", "name"),
        "summary-too-long.json": setting(C, "Language identification " * 12, "summary"),
        "bad-license.json": setting(C, "Apache 2.0", "license"),
        "too-many-tags.json": setting(C, ["tag-%d" % i for i in range(33)], "tags"),
        "bad-digest.json": setting(C, C["artifacts"][0]["digest"].upper().replace("SHA256", "sha256"),
                                   "artifacts", 0, "digest"),
        "bad-card-digest.json": setting(C, "sha256:" + "ab" * 16, "cards", "lineage"),
        "path-traversal.json": setting(C, "weights/../../etc/passwd", "artifacts", 0, "path"),
        "absolute-path.json": setting(C, "/weights/model.safetensors", "artifacts", 0, "path"),
        "backslash-in-path.json": setting(C, "weights\\model.safetensors", "artifacts", 0, "path"),
        "negative-size.json": setting(C, -1, "artifacts", 0, "size"),
        "no-artifacts.json": setting(C, [], "artifacts"),
        "fractional-parameters.json": setting(C, 16502.5, "resources", "parameters"),
        "unknown-dtype.json": setting(C, "float64", "interface", "outputs", 0, "dtype"),
        "bad-shape-dimension.json": setting(C, [-2], "interface", "outputs", 0, "shape"),
        "optional-output.json": setting(C, True, "interface", "outputs", 0, "optional"),
        "no-outputs.json": setting(C, [], "interface", "outputs"),
        "missing-opset.json": without(C, "architecture", "opset"),
        "extra-field.json": setting(C, "https://example.org/langid", "homepage"),
        "lora-without-adapter.json": without(contract_adapter, "adapter"),
        "adapter-without-lora.json": setting(C, contract_adapter["adapter"], "adapter"),
        "adapter-base-without-weights.json": without(contract_adapter, "adapter", "base", "weights"),
        "adapter-base-bad-digest.json": setting(contract_adapter, "sha256:" + "ab" * 16, "adapter", "base", "digest"),
        "cascade-one-member.json": setting(CC, CC["architecture"]["config"]["members"][:1], "architecture", "config",
                                           "members"),
        "cascade-unknown-rule.json": setting(CC, "entropy", "architecture", "config", "rule"),
        "cascade-member-without-digest.json": without(CC, "architecture", "config", "members", 0, "digest"),
        "cascade-threshold-above-one.json": setting(CC, 1.5, "architecture", "config", "members", 0, "threshold"),
    },
    "lineage": {
        "unknown-operator.json": setting(lineage_int8, "distil-and-prune", "operator"),
        "quantize-without-parents.json": without(lineage_int8, "parents"),
        "merge-with-empty-parents.json": setting(lineage_merge, [], "parents"),
        "bad-parent-digest.json": setting(lineage_int8, LANGID_DIGEST[:-1], "parents", 0, "digest"),
        "parent-ref-latest.json": setting(lineage_int8, "demo/langid@latest", "parents", 0, "ref"),
        "origin-not-a-url.json": setting(lineage_int8, "grove.example.org", "parents", 0, "origin"),
        "extra-field-in-parent.json": setting(lineage_merge, 0.6, "parents", 0, "weight"),
        "missing-subject-version.json": without(lineage_train, "subject", "version"),
        "build-metadata-in-subject-version.json": setting(lineage_train, "1.0.0+20240501", "subject", "version"),
        "data-without-name.json": without(lineage_train, "data", 0, "name"),
        "parameters-not-object.json": setting(lineage_int8, "int8-per-channel", "parameters"),
        "extra-field.json": setting(lineage_train, "alice", "author"),
        "adapter-without-parents.json": without(lineage_adapter, "parents"),
    },
    "evaluation": {
        "missing-samples.json": without(evaluation_langid, "evaluations", 0, "metrics", 1, "samples"),
        "zero-samples.json": setting(evaluation_langid, 0, "evaluations", 0, "metrics", 0, "samples"),
        "string-metric-value.json": setting(evaluation_langid, "0.93", "evaluations", 0, "metrics", 0, "value"),
        "breakdown-missing-level.json": without(evaluation_langid, "evaluations", 0, "metrics", 0, "breakdown", 2,
                                                "level"),
        "bad-dataset-digest.json": setting(evaluation_langid, "md5:0f343b0931126a20f133d67c2b018a3b", "evaluations", 0,
                                           "dataset", "digest"),
        "extra-field-in-metric.json": setting(evaluation_langid, 0.01, "evaluations", 0, "metrics", 0, "stderr"),
        "empty-metrics.json": setting(evaluation_langid, [], "evaluations", 0, "metrics"),
        "missing-subject.json": without(evaluation_langid, "subject"),
        "fractional-breakdown-samples.json": setting(evaluation_langid, 99.5, "evaluations", 0, "metrics", 0,
                                                     "breakdown", 0, "samples"),
    },
    "envelope": {
        "too-many-signatures.json": setting(env_int8_lineage, env_int8_lineage["signatures"] * 4 + [
            env_int8_lineage["signatures"][0]], "signatures"),
        "no-signatures.json": setting(env_contract, [], "signatures"),
        "uppercase-keyid.json": setting(env_contract, PUBLISHER.keyid.upper(), "signatures", 0, "keyid"),
        "url-safe-base64-payload.json": setting(setting(env_contract, "application/vnd.grove.yank+json", "payloadType"),
                                                base64.urlsafe_b64encode(URL_SAFE_BODY).decode(), "payload"),
        "unpadded-payload.json": setting(env_contract, base64.b64encode(PADDED_BODY).decode().rstrip("="), "payload"),
        "unknown-payload-type.json": setting(env_contract, "application/json", "payloadType"),
        "truncated-signature.json": setting(env_contract, env_contract["signatures"][0]["sig"][:64],
                                            "signatures", 0, "sig"),
        "missing-payload.json": without(env_contract, "payload"),
        "extra-field.json": setting(env_contract, "base64", "payloadEncoding"),
    },
    "bundle": {
        "missing-evaluation.json": without(bundle_langid, "evaluation"),
        "swapped-envelopes.json": setting(setting(bundle_langid, env_lineage, "contract"), env_contract, "lineage"),
        "too-many-signatures-in-lineage.json": setting(bundle_langid, env_lineage["signatures"] * 9, "lineage",
                                                       "signatures"),
        "unpadded-public-key.json": setting(bundle_langid, PUBLISHER.public.rstrip("="), "keys", 0, "publicKey"),
    },
    "keyset": {
        "sequence-one.json": setting(keyset_rotation, 1, "sequence"),
        "empty-keys.json": setting(keyset_rotation, [], "keys"),
        "bad-namespace.json": setting(keyset_rotation, "Demo_NS", "namespace"),
        "key-missing-keyid.json": without(keyset_rotation, "keys", 1, "keyid"),
        "missing-previous.json": without(keyset_rotation, "previous"),
        "v1-change.json": without(setting(keyset_rotation, "grove.keyset/v1", "schema"), "previous"),
    },
    "yank": {
        "missing-reason.json": without(yank_doc, "reason"),
        "missing-digest.json": without(yank_doc, "digest"),
        "v1-statement.json": without(setting(yank_doc, "grove.yank/v1", "schema"), "digest"),
        "empty-reason.json": setting(yank_doc, "", "reason"),
        "reason-too-long.json": setting(yank_doc, "The output labels were swapped. " * 32, "reason"),
        "build-metadata-in-version.json": setting(yank_doc, "1.0.0+sha.5114f85", "version"),
        "yank-latest.json": setting(yank_doc, "latest", "version"),
    },
}
for kind, files in invalid.items():
    for name, doc in files.items():
        assert (ROOT / kind / "valid").exists(), kind
        write(kind, "invalid", name, doc)

# remove stale files
for path in ROOT.glob("*/*/*.json"):
    if path not in WRITTEN:
        path.unlink()
print("wrote %d examples" % len(WRITTEN))
