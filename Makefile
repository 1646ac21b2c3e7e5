# envwatch -- the commands the README tells a user to type.
#   make          build the release binary (build/release/envwatch)
#   make demo     install what is missing, build, run the Yangquan demo until Ctrl-C
#   make test     install what is missing, build with ASan+UBSan, run every test, fuzz briefly
#   make bench    run the benchmarks on a release build (not part of make test)
#   make fuzz     fuzz every target for FUZZ_SECONDS (default 600) each
JOBS      ?= $(shell nproc)
FUZZ_SECONDS ?= 600
SMOKE_FUZZ_SECONDS ?= 10
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all build deps test unit lint fuzz-smoke fuzz bench demo clean

all: build

deps:
	@scripts/deps.sh build

build: deps
	@cmake -S . -B build/release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build/release -j $(JOBS)

unit:
	@cmake -S . -B build/asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DEW_SANITIZE=ON >/dev/null
	@cmake --build build/asan -j $(JOBS)
	cd build/asan && ctest --output-on-failure -j $(JOBS)

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-smoke

lint:
	@scripts/lint.sh

fuzz-smoke:
	@scripts/fuzz.sh $(SMOKE_FUZZ_SECONDS)

fuzz:
	@scripts/deps.sh test
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	@scripts/bench.sh

demo: build
	@scripts/demo.sh

clean:
	rm -rf build var
