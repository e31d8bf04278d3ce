#!/usr/bin/env bash
# The webgpu backend on a machine with a hardware GPU (written for NVIDIA + Vulkan): checks that Dawn
# finds a hardware adapter (and fails, saying what is missing, when it does not), runs the webgpu
# tests on it (kernels, models, the CLI), then run/sensitivity/calibrate of models that read numbers
# inside a step (epi/covid, epi/seir) on cpu and webgpu, then network-SIR on cpu and webgpu at 1M and
# 8.4M agents (and PyTorch-CUDA beside it when torch with CUDA is installed). Run from anywhere:  bash bench/gpu-check.sh
# Environment: AGENTS (default 1000000,8400000), STEPS (default 20), GRAPH (default hashed),
# VULKAN_LOADER_DIR (a folder holding libvulkan.so.1 when the system has none).
set -euo pipefail
cd "$(dirname "$0")/.."
AGENTS="${AGENTS:-1000000,8400000}"
STEPS="${STEPS:-20}"
GRAPH="${GRAPH:-hashed}"
fail() { echo "gpu-check: $*" >&2; exit 3; }

echo "== GPU and Vulkan"
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; else echo "no nvidia-smi"; fi
if [ -n "${VULKAN_LOADER_DIR:-}" ]; then export LD_LIBRARY_PATH="${VULKAN_LOADER_DIR}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
loader=""
for d in ${LD_LIBRARY_PATH//:/ } /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /lib/x86_64-linux-gnu; do
  if [ -e "$d/libvulkan.so.1" ]; then loader="$d/libvulkan.so.1"; break; fi
done
[ -n "$loader" ] || fail "no Vulkan loader (libvulkan.so.1): apt-get install libvulkan1, or set VULKAN_LOADER_DIR to a folder holding it."
echo "Vulkan loader: $loader"
icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null || true)
if ! grep -qsi nvidia $icds 2>/dev/null && [ -z "${VK_ICD_FILENAMES:-}" ]; then
  # The NVIDIA driver ships its Vulkan ICD inside libGLX_nvidia.so.0; containers often lack the JSON that names it.
  glx=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia.so.0/ {print $NF; exit}')
  if [ -n "$glx" ]; then
    icd="$(mktemp -d)/nvidia_icd.json"
    printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$glx" > "$icd"
    export VK_ICD_FILENAMES="$icd"
    echo "wrote an NVIDIA ICD file for $glx: VK_ICD_FILENAMES=$icd"
  else
    echo "no NVIDIA Vulkan ICD file and no libGLX_nvidia.so.0; trying whatever ICDs there are: ${icds:-none}"
  fi
fi

rm -f bench-gpu-check.jsonl
echo "== build"
[ -d node_modules/webgpu ] && [ -d node_modules/@tensorflow/tfjs-backend-webgpu ] || npm ci --no-audit --no-fund
npx turbo run build --output-logs=errors-only

echo "== adapter"
node --input-type=module -e "
import { detectWebgpuAdapter } from '@populace/core';
const a = await detectWebgpuAdapter({ hardwareOnly: true });
console.log(JSON.stringify(a));
if (!a.available) { console.error('gpu-check: no hardware WebGPU adapter: ' + a.description); process.exit(3); }
if (a.software) { console.error('gpu-check: the only adapter is a software rasteriser (' + a.description + '), not a GPU'); process.exit(3); }
" || fail "Dawn found no hardware adapter (see the line above); nothing was measured."

echo "== webgpu tests on the GPU"
POPULACE_REQUIRE_WEBGPU=1 npx vitest run packages/core/src/kernels/webgpu test/webgpu-models.test.ts test/webgpu-cli.test.ts test/webgpu-blocks.test.ts

echo "== commands whose models read numbers inside a step: cpu and webgpu (JSON rows: command, backend, wallMs, result)"
obs="$(mktemp -d)/observed.csv"
printf 'step,newInfections\n1,10\n2,12\n3,15\n4,20\n5,24\n' > "$obs"
summary='const d=JSON.parse(require("fs").readFileSync(0,"utf8"));const r=d.metrics?{newInfections:d.metrics.newInfections}:d.history?{history:d.history,beta:d.params.beta}:{estimator:d.estimator,output:d.output.value,top:d.entries.slice(0,3).map(e=>[e.param,e.gradient])};console.log(JSON.stringify({command:process.argv[1],backend:d.backend,wallMs:d.wallMs,...r}))'
for b in cpu webgpu; do
  node packages/cli/bin/populace.js run epi/covid --backend "$b" --population synthetic --agents 20000 --steps 20 --json | node -e "$summary" run-covid | tee -a bench-gpu-check.jsonl
  node packages/cli/bin/populace.js sensitivity epi/seir --backend "$b" --population synthetic --agents 20000 --steps 10 --json | node -e "$summary" sensitivity-seir | tee -a bench-gpu-check.jsonl
  node packages/cli/bin/populace.js calibrate epi/seir --observed "$obs" --backend "$b" --population synthetic --agents 20000 --epochs 3 --json | node -e "$summary" calibrate-seir | tee -a bench-gpu-check.jsonl
done

echo "== network-SIR, cpu and webgpu, agents $AGENTS, $GRAPH graph, $STEPS steps (JSON rows)"
node bench/webgpu-sir.mjs --agents "$AGENTS" --steps "$STEPS" --graph "$GRAPH" --grad | tee -a bench-gpu-check.jsonl

if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "== PyTorch on CUDA, the same workload"
  for n in ${AGENTS//,/ }; do python3 bench/pytorch/network_sir.py --agents "$n" --steps "$STEPS" --device cuda | tee -a bench-gpu-check.jsonl; done
else
  echo "(no torch with CUDA here: PyTorch rows skipped)"
fi
echo "gpu-check: done; rows in bench-gpu-check.jsonl"
