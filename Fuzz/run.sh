#!/usr/bin/env bash
# Builds one fuzz target with libFuzzer and AddressSanitizer, and runs it.
#
#   Fuzz/run.sh TARGET SECONDS      TARGET: keras, lesson, safetensors, netpbm, or all
#
# The project's modules are built with coverage instrumentation in
# .build-fuzz (`swift build --target`), then each target's main.swift is
# linked against their objects with `swiftc -sanitize=fuzzer,address`. New
# inputs go to .build-fuzz/corpus/TARGET (the seeds in Fuzz/corpus/TARGET stay
# as they are); a crash is written to .build-fuzz/crashes/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${1:?usage: Fuzz/run.sh TARGET SECONDS}
seconds=${2:-60}
extra=""
scratch="$root/.build-fuzz"

if [ "$target" = all ]; then
    status=0
    for t in keras lesson safetensors netpbm; do "$0" "$t" "$seconds" || status=1; done
    exit $status
fi

case "$target" in
    keras) module=CNNModel; modules="CNNModel"; maxlen=8192; extra=Tests/Reference/fixtures ;;
    lesson) module=LessonKit; modules="CNNModel CNNCompute Race Yams CYaml LessonFiles LessonKit"; maxlen=65536; extra=Lessons ;;
    safetensors) module=CNNCompute; modules="CNNModel CNNCompute"; maxlen=65536; extra=Tests/Reference/fixtures ;;
    netpbm) module=TutorUI; modules="CNNModel CNNCompute Race Yams CYaml LessonFiles LessonKit TutorUI"; maxlen=65536 ;;
    *) echo "unknown target '$target' (keras, lesson, safetensors, netpbm, all)" >&2; exit 2 ;;
esac

# Reuse the main build's dependency checkouts, so no network is needed.
mkdir -p "$scratch"
if [ -d .build/checkouts ] && [ ! -d "$scratch/checkouts" ]; then
    cp -R .build/checkouts .build/repositories "$scratch/" 2>/dev/null || true
    cp .build/workspace-state.json "$scratch/" 2>/dev/null || true
fi

# Coverage without libFuzzer's main: the build also links the lesson-embedding tool, which has a main of its own.
swift build --scratch-path "$scratch" --target "$module" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xcc -fsanitize=fuzzer-no-link,address >"$scratch/build-$target.log" 2>&1 \
    || { tail -30 "$scratch/build-$target.log" >&2; exit 1; }

bin="$scratch/debug"
objects=()
for m in $modules; do
    while IFS= read -r o; do objects+=("$o"); done < <(find "$bin/$m.build" -name '*.o' | sort)
done
includes=()
for m in $modules; do
    for map in "$bin/$m.build/module.modulemap"; do [ -e "$map" ] && includes+=(-Xcc "-fmodule-map-file=$map"); done
done
[ -d "$scratch/checkouts/Yams/Sources/CYaml/include" ] && includes+=(-Xcc "-I$scratch/checkouts/Yams/Sources/CYaml/include")
swiftc -sanitize=fuzzer,address -parse-as-library -g -module-name "Fuzz_$target" \
    -I "$bin/Modules" "${includes[@]}" "Fuzz/$target/main.swift" "${objects[@]}" -o "$scratch/fuzz-$target" \
    >"$scratch/link-$target.log" 2>&1 || { grep -v "Cannot export local symbol" "$scratch/link-$target.log" | tail -30 >&2; exit 1; }

mkdir -p "$scratch/corpus/$target" "$scratch/crashes"
echo "== fuzz $target for ${seconds}s"
# The Swift backtracer would fight AddressSanitizer for the crash signal.
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 nice "$scratch/fuzz-$target" \
    -max_total_time="$seconds" -max_len="$maxlen" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$scratch/crashes/$target-" "$scratch/corpus/$target" "Fuzz/corpus/$target" $extra \
    >"$scratch/fuzz-$target.log" 2>&1 || status=$?
grep -E "INITED|DONE|ERROR|SUMMARY|Test unit written|stat::number_of_executed_units|Fatal error" "$scratch/fuzz-$target.log" | tail -n 12 || true
if [ "$status" -ne 0 ]; then echo "fuzz $target: FAILED (status $status); see $scratch/fuzz-$target.log" >&2; fi
exit "$status"
