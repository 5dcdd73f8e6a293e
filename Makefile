# jrunc build. `make help` lists the targets.
#
#   make             target/jrunc: a native executable (GraalVM native-image) where one can be
#                    built, else the JVM launcher script (a copy of target/jrunc-jvm)
#   make jvm         target/jrunc-jvm: the JVM launcher script
#   make test        builds, then `mvn test` against target/jrunc (and the native contract image)
#
# Where native-image comes from, first match wins:
#   1. a real GraalVM: `native-image` on PATH, or $GRAALVM_HOME/bin/native-image
#   2. the toolchain assembled from reachable sources in $(GRAAL_TOOLCHAIN)
#      (default ../shared/toolchain/graalvm; build-time only, never needed at run time)
#   3. none: target/jrunc is the JVM launcher
# Force a mode with `make NATIVE_MODE=graalvm|toolchain|none`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

T := target
TEMURIN25 := /usr/lib/jvm/temurin-25-jdk-amd64

# --- Java: keep the caller's JAVA_HOME when it is a JDK 25 or newer, else Temurin 25
java_major = $(shell sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(1)/release" 2>/dev/null)
ifeq ($(shell v='$(call java_major,$(JAVA_HOME))'; [ -n "$$v" ] && [ "$$v" -ge 25 ] && echo ok),ok)
  JAVA_HOME := $(JAVA_HOME)
else
  JAVA_HOME := $(TEMURIN25)
endif
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
MVN ?= mvn
MVN_FLAGS ?= -B -q
MVN_RUN = $(MVN) $(MVN_FLAGS)

# --- native-image
GRAAL_TOOLCHAIN ?= $(abspath ../shared/toolchain/graalvm)
NATIVE_IMAGE ?= $(or $(shell command -v native-image 2>/dev/null),$(if $(GRAALVM_HOME),$(wildcard $(GRAALVM_HOME)/bin/native-image)))
ifeq ($(origin NATIVE_MODE),undefined)
  ifneq ($(NATIVE_IMAGE),)
    NATIVE_MODE := graalvm
  else ifneq ($(wildcard $(GRAAL_TOOLCHAIN)/native-image.sh),)
    NATIVE_MODE := toolchain
  else
    NATIVE_MODE := none
  endif
endif

# Optimization level: s (default: for size), 2, or b (quicker builds, for development).
# s against 2, measured: text 12.3 -> 8.0 MB; instructions of `state` 1.70 -> 2.08 M and of
# create 5.56 -> 7.29 M, but fewer pages touched: page faults of create 773 -> 717, its peak RSS
# 23.4 -> 19.7 MB, and CPU time (perf stat task-clock) of `state` 3.2-3.5 -> 2.9 ms, of create
# 12.3-13.1 -> 11.9-12.7 ms. A short-lived CLI pays for each page of code more than for inlining.
NI_OPTIMIZE ?= s
# Extra builder options, e.g. NI_EXTRA=-H:+PrintAnalysisCallTree
NI_EXTRA ?=

# --- sources
C_DIR := src/main/c/libjrunc
C_SRC := $(wildcard $(C_DIR)/*.c)
C_HDR := $(wildcard $(C_DIR)/*.h)
C_OBJ := $(patsubst $(C_DIR)/%.c,$(T)/native/obj/%.o,$(C_SRC))
JRUNC_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -fPIC -D_FORTIFY_SOURCE=2 $(CFLAGS)
LIB_SO := $(T)/native/libjrunc.so
LIB_A := $(T)/native/static/libjrunc.a
# libseccomp (seccomp filters are compiled in jrunc's process): libjrunc.so links it dynamically;
# libjrunc.a carries the objects of the static libseccomp.a, so the image's -ljrunc needs nothing else.
# A fresh Debian machine lacks libseccomp-dev: as root with apt-get, make installs it (once).
ifeq ($(wildcard $(shell gcc -print-file-name=libseccomp.a 2>/dev/null)),)
  ifeq ($(shell id -u)$(shell command -v apt-get >/dev/null && echo apt),0apt)
    $(info libseccomp-dev is missing: installing it with apt-get)
    $(shell DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp-dev >&2)
  endif
endif
LIBSECCOMP_A := $(shell gcc -print-file-name=libseccomp.a)
# jrunc-init links with musl when musl-gcc is there (src/main/c/init/Makefile says why); as root
# with apt-get, make installs musl-tools (once) when it is missing, else the init links with glibc.
ifeq ($(shell command -v musl-gcc 2>/dev/null),)
  ifeq ($(shell id -u)$(shell command -v apt-get >/dev/null && echo apt),0apt)
    $(info musl-tools is missing: installing it with apt-get)
    $(shell DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl-tools >&2)
  endif
endif

JAVA_SOURCES := pom.xml $(shell find src -type f -not -path '$(C_DIR)/*' 2>/dev/null) \
	$(wildcard oci-spec-schemas/*.json)
PACKAGED := $(T)/.packaged

empty :=
space := $(empty) $(empty)
# Image class paths: the jar and the runtime dependencies copied by mvn package.
runtime_cp = $(subst $(space),:,$(strip $(T)/jrunc.jar $(sort $(wildcard $(T)/lib/*.jar))))

# Every native-image config is passed explicitly (the toolchain's builder does not read
# META-INF/native-image on its own): picocli-codegen's generated configs, ours from
# src/main/resources/META-INF/native-image, and the feature registering the *.model classes.
# (empty files, like picocli's "[ ]" proxy config, are left out: the option is deprecated)
configs = $(shell set +o pipefail; find $(abspath $(T))/classes/META-INF/native-image -name '$(1)' 2>/dev/null | sort | \
	xargs -r grep -l '"' | paste -sd, -)
# The same for configs shipped inside dependency jars (META-INF/native-image/<group>/<artifact>/,
# e.g. the schema validator's meta-schemas and message bundles), passed as class-path resources.
dep_configs = $(shell set +e +o pipefail; for j in $(sort $(wildcard $(T)/lib/*.jar)); do \
	  unzip -Z1 $$j 'META-INF/native-image/*/$(1)' 2>/dev/null | while read -r e; do \
	    unzip -p $$j "$$e" | grep -q '"' && echo "$$e"; done; done | sort -u | paste -sd, -)
# The config schema is built at image build time (dev.jrunc.spec.validate.PrebuiltSchemas): the
# validator's classes and ours whose instances it holds are initialised then too.
# The command tree (picocli's model of every command) is made at image build time too
# (dev.jrunc.cli.PrebuiltCli): picocli and dev.jrunc.cli are initialised then.
CLI_BUILD_TIME := picocli:build_time,dev.jrunc.cli:build_time
SCHEMA_BUILD_TIME := dev.jrunc.Version:build_time,com.networknt:build_time,org.slf4j:build_time,dev.jrunc.spec.validate:build_time,dev.jrunc.json:build_time,dev.jrunc.spec.model:build_time
# Linked as a non-PIE executable: a PIE image applies ~38,000 relocations to its image heap at
# every start (page faults and copy-on-write of the heap pages). Measured on `--version`: 1154 ->
# 817 page faults, 5.8 -> 5.1 ms CPU. The cost is no ASLR for the executable's own text/heap; the
# Java code is memory-safe, the C in it is libjrunc only. NI_PIE=yes builds a PIE.
NI_PIE ?= no
NI_LINK = $(if $(filter no,$(NI_PIE)),-H:NativeLinkerOption=-no-pie)
# Jackson is initialised at build time: its static set-up (factories, type tables) then costs
# nothing per call; measured: `validate` 20.5 -> 16.1 ms, `list` unchanged.
# Start-up and exit of every command (hyperfine, 400 runs each, same minute, load ~4):
# -H:-UseSystemLocale: the image's start-up called setlocale(LC_ALL, "") (about 75 syscalls: glibc
#   opens and maps every LC_* file of the locale); jrunc formats nothing by locale and reads and
#   writes paths and JSON as UTF-8 whatever LANG says (a bundle path and args with non-ASCII
#   bytes run the same under LANG=C). `--version` median 3.37 -> 2.23 ms.
# -H:-InstallExitHandlers: the Java SIGINT/SIGTERM/SIGHUP handlers started the signal dispatcher
#   thread at start-up, and every exit joined it (a wake-up and a context switch, 5 ms on a
#   loaded host). jrunc has no shutdown hook; a signal now ends it by the default action, as
#   runc. `run` and `exec` install their forwarding handlers themselves (Runner), which starts
#   the dispatcher only there. `--version` 2.23 -> 1.94 ms, `state` 4.01 -> 3.17 ms (both flags).
NI_OPTIONS = \
	-H:FallbackThreshold=0 \
	-H:-UseSystemLocale \
	-H:-InstallExitHandlers \
	-H:+ReportExceptionStackTraces \
	-H:Optimize=$(NI_OPTIMIZE) \
	-H:Features=dev.jrunc.build.ModelReflectionFeature,dev.jrunc.build.MapperPrewarmFeature \
	-H:ClassInitialization=com.fasterxml.jackson:build_time \
	-H:ClassInitialization=$(SCHEMA_BUILD_TIME) \
	-H:ClassInitialization=$(CLI_BUILD_TIME) \
	-H:ReflectionConfigurationFiles=$(call configs,reflect-config.json) \
	-H:ResourceConfigurationFiles=$(call configs,resource-config.json) \
	$(addprefix -H:DynamicProxyConfigurationFiles=,$(call configs,proxy-config.json)) \
	$(addprefix -H:ReflectionConfigurationResources=,$(call dep_configs,reflect-config.json)) \
	$(addprefix -H:ResourceConfigurationResources=,$(call dep_configs,resource-config.json)) \
	-H:CLibraryPath=$(abspath $(dir $(LIB_A))) \
	$(NI_LINK) $(NI_EXTRA)

# After a build: an ELF executable, and no class of the FFM binding in it (FFM throws in images
# built with the toolchain; only JvmMain may reach dev.jrunc.sys.ffm). Class names are in the image heap.
check_image = file $@ | grep -q ELF || { echo "$@ is not an ELF executable" >&2; exit 1; }; \
	if grep -qaF 'dev.jrunc.sys.ffm.' $@; then \
	  echo "$@: the FFM binding (dev.jrunc.sys.ffm) is reachable from the native image" >&2; rm -f $@; exit 1; fi

# native_image(classpath, name, main class): builds $(T)/name
ifeq ($(NATIVE_MODE),graalvm)
  native_image = $(NATIVE_IMAGE) --no-fallback -cp '$(1)' -o $(T)/$(2) \
	-H:+UnlockExperimentalVMOptions $(NI_OPTIONS) -H:-UnlockExperimentalVMOptions $(3)
else ifeq ($(NATIVE_MODE),toolchain)
  native_image = $(GRAAL_TOOLCHAIN)/setup.sh >/dev/null && \
	$(GRAAL_TOOLCHAIN)/native-image.sh '$(1)' $(abspath $(T)) $(2) $(3) $(NI_OPTIONS)
endif

.PHONY: all init native jvm lib package test test-deps unit fuzz native-contract lint conformance e2e v2lab bench clean help

all: $(T)/jrunc $(T)/jrunc-init

help:
	@echo "make               $(T)/jrunc (native when possible; NATIVE_MODE=$(NATIVE_MODE))"
	@echo "make jvm           $(T)/jrunc-jvm, the JVM launcher script"
	@echo "make native        $(T)/jrunc as a native executable (fails without native-image)"
	@echo "make lib           $(LIB_SO) and $(LIB_A) (libjrunc)"
	@echo "make test          lint, build, then mvn test against $(T)/jrunc (+ $(T)/native-contract), then conformance"
	@echo "make unit          the pure unit tests only: no root, no built jrunc (JUnit tags kernel, native, fuzz left out)"
	@echo "make fuzz          the seeded input fuzz tests (FUZZ_SEED=N replays one run)"
	@echo "make lint          conformance-tests/lint-bats.sh (assertions that cannot fail), with its self-test"
	@echo "make conformance   run conformance-tests/ (with e2e/) against $(T)/jrunc"
	@echo "make e2e           podman, containerd, rootless podman and buildah end to end (RUNTIME=runc make e2e: against runc)"
	@echo "make v2lab         the cgroup v2 tests in ../shared/v2lab (QEMU): V2LAB_MODES=\"plain systemd systemd-hybrid\", RUNTIME=runc make v2lab"
	@echo "make bench         bench/cli-latency.sh"
	@echo "make clean         remove $(T)/"

# --- libjrunc
lib: $(LIB_SO) $(LIB_A)

$(T)/native/obj/%.o: $(C_DIR)/%.c $(C_HDR)
	@mkdir -p $(@D)
	gcc $(JRUNC_CFLAGS) -c -o $@ $<

$(LIB_SO): $(C_OBJ)
	gcc -shared -Wl,-z,defs -o $@ $^ -lseccomp

# alone in its directory, so that the image's -ljrunc links the static library; libseccomp's
# objects are merged in (an ar MRI script), so no link order or second library is involved
$(LIB_A): $(C_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	@[ -f "$(LIBSECCOMP_A)" ] || { echo "libseccomp.a not found: install libseccomp-dev" >&2; exit 1; }
	{ echo 'CREATE $@'; for o in $^; do echo "ADDMOD $$o"; done; echo 'ADDLIB $(LIBSECCOMP_A)'; \
	  echo SAVE; echo END; } | ar -M
	ranlib $@

# --- jrunc-init (the C program inside the container), beside target/jrunc where jrunc looks for it
INIT_DIR := src/main/c/init
$(T)/jrunc-init: $(wildcard $(INIT_DIR)/*.c $(INIT_DIR)/*.h $(INIT_DIR)/*.def) $(INIT_DIR)/Makefile
	$(MAKE) -s -C $(INIT_DIR) OUT=$(abspath $(T)) init

init: $(T)/jrunc-init

# --- Java
package: $(PACKAGED)

# compiles main and test classes, target/jrunc.jar, target/lib/*.jar (runs `make lib` too)
# the commit `jrunc --version` prints (runc's "commit:" line)
JRUNC_COMMIT := $(or $(shell git describe --always --dirty 2>/dev/null),unknown)

$(PACKAGED): $(JAVA_SOURCES)
	$(MVN_RUN) package -DskipTests -Djrunc.commit=$(JRUNC_COMMIT)
	@touch $@

# mvn leaves the jar alone when no main class or resource changed: a test-only change then
# rebuilds neither target/jrunc nor the launcher
$(T)/jrunc.jar: $(PACKAGED) ;

# --- the JVM launcher
JVM_OPTS := -XX:+UseSerialGC -XX:-UsePerfData -XX:TieredStopAtLevel=1 -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr \
	--enable-native-access=ALL-UNNAMED -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider \
	-Dslf4j.internal.verbosity=WARN

jvm: $(T)/jrunc-jvm

$(T)/jrunc-jvm: $(T)/jrunc.jar $(LIB_SO) $(T)/jrunc-init Makefile
	@{ echo '#!/bin/sh'; \
	   echo '# jrunc on the JVM, generated by make jvm (paths are absolute: rebuild after moving the tree)'; \
	   echo 'exec "$${JRUNC_JAVA:-$(JAVA)}" $(JVM_OPTS) $$JRUNC_JAVA_OPTS \'; \
	   echo '  -Djrunc.native.lib=$(abspath $(LIB_SO)) -Djrunc.init=$(abspath $(T)/jrunc-init) \'; \
	   echo '  -cp $(subst $(space),:,$(abspath $(subst :, ,$(runtime_cp)))) \'; \
	   echo '  dev.jrunc.JvmMain "$$@"'; } > $@.tmp
	@chmod 755 $@.tmp && mv $@.tmp $@
	@echo "built $@"

# --- the native executable (or the launcher where none can be built)
ifeq ($(NATIVE_MODE),none)
$(T)/jrunc: $(T)/jrunc-jvm
	@echo "no native-image (no GraalVM on PATH or GRAALVM_HOME, no $(GRAAL_TOOLCHAIN)): $@ is the JVM launcher"
	cp $< $@

native:
	@echo "make native: no native-image found (install GraalVM 25 and put native-image on PATH or set GRAALVM_HOME)" >&2; exit 1

native-contract:
	@echo "no native-image: $(T)/native-contract not built"
else
$(T)/jrunc: $(T)/jrunc.jar $(LIB_A) Makefile
	@echo "native-image ($(NATIVE_MODE)): $@"
	@rm -f $@
	$(call native_image,$(runtime_cp),jrunc,dev.jrunc.NativeMain)
	@$(check_image)
	@err=$$($@ --version 2>&1 >/dev/null) && [ -z "$$err" ] || \
	  { echo "$@ --version failed or wrote to stderr: $$err" >&2; rm -f $@; exit 1; }

native: $(T)/jrunc

# test-only image: the Syscalls contract against the @CFunction binding, Jackson on model records
$(T)/native-contract: $(PACKAGED) $(LIB_A) Makefile
	@echo "native-image ($(NATIVE_MODE)): $@"
	@rm -f $@
	$(call native_image,$(runtime_cp):$(T)/test-classes,native-contract,dev.jrunc.NativeContractMain)
	@$(check_image)

native-contract: $(T)/native-contract
endif

# --- tests
# The native tests fail (rather than skip) when a native build was possible but its image is missing.
ifeq ($(NATIVE_MODE),none)
TEST_PROPS := -Djrunc.binary=$(abspath $(T)/jrunc) -Djrunc.init=$(abspath $(T)/jrunc-init)
else
TEST_PROPS := -Djrunc.binary=$(abspath $(T)/jrunc) -Djrunc.init=$(abspath $(T)/jrunc-init) -Djrunc.contract.native=$(abspath $(T)/native-contract)
endif

# test-deps: the Debian packages the tests use, installed when missing (as root with apt-get)
test-deps:
	@conformance-tests/install-deps.sh

test: test-deps lint all native-contract
	$(MVN) -B test $(TEST_PROPS) $(MVN_TEST_FLAGS)
	$(MAKE) -s conformance

# The bats files: no assertion that set -e ignores (a mid-test `! cmd`, a non-last `a && b`);
# the lint's self-test first (it must flag each pattern of lint-fixtures/bad.bats, none of clean.bats)
lint:
	conformance-tests/lint-fixtures/self-test.sh
	conformance-tests/lint-bats.sh
	@echo "lint: no assertion that cannot fail in conformance-tests"

# The pure unit tests: every JUnit test but those tagged "kernel" (dev.jrunc.KernelTest: root,
# cgroups, namespaces, a built jrunc or native image) and "native" (dev.jrunc.NativeBuildTest:
# the C init and its fuzzer, built by the test) and "fuzz" (the input fuzz tests: make fuzz).
# Needs no root and no target/jrunc.
unit:
	$(MVN) -B test -DexcludedGroups=kernel,native,fuzz $(MVN_TEST_FLAGS)

# The seeded input fuzz tests alone (make test runs them too): in process, then through target/jrunc.
# FUZZ_SEED=N replays a run (the seed is printed).
fuzz: all
	$(MVN) -B test -Dtest='InputFuzzTest,BinaryFuzzTest' $(TEST_PROPS) $(if $(FUZZ_SEED),-Djrunc.fuzz.seed=$(FUZZ_SEED)) $(MVN_TEST_FLAGS)

# Hook for conformance suites: conformance-tests/run (executable) gets the runtime's absolute
# path as $JRUNC and $1; else any *.bats files there run with bats, then the engine end-to-end
# files in conformance-tests/e2e (podman, containerd, rootless podman and buildah: each skips when its engine is missing).
conformance: all lint
	@if [ -x conformance-tests/run ]; then \
	   JRUNC=$(abspath $(T)/jrunc) conformance-tests/run $(abspath $(T)/jrunc); \
	 elif compgen -G 'conformance-tests/*.bats' >/dev/null; then \
	   RUNTIME=$(abspath $(T)/jrunc) bats --tap conformance-tests $(wildcard conformance-tests/e2e/*.bats) | tee $(T)/conformance.tap; \
	 else echo "conformance: no conformance-tests/run nor conformance-tests/*.bats: nothing to run"; fi

# the engine end-to-end suites alone (RUNTIME=runc make e2e runs them against runc)
e2e: all
	RUNTIME=$${RUNTIME:-$(abspath $(T)/jrunc)} bats conformance-tests/e2e

# The cgroup v2 tests in the lab VM (../shared/v2lab/run.sh, root, QEMU; conformance-tests/v2lab):
# one boot per mode of V2LAB_MODES; writes $(T)/v2lab-MODE.tap. RUNTIME=runc make v2lab: against runc.
# systemd-hybrid: systemd on a cgroup v1/hybrid hierarchy (the systemd driver on v1).
V2LAB_MODES ?= plain systemd systemd-hybrid
v2lab: all
	RUNTIME=$${RUNTIME:-$(abspath $(T)/jrunc)} conformance-tests/v2lab/run-in-lab.sh $(V2LAB_MODES)

bench: all jvm
	bench/cli-latency.sh

clean:
	rm -rf $(T)
