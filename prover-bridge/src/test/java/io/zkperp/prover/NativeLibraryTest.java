package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NativeLibraryTest {

  @Test
  void mapsLinuxX8664OntoThePackedPlatform() {
    assertThat(NativeLibrary.platform("Linux", "amd64")).isEqualTo("linux-x86_64");
    assertThat(NativeLibrary.platform("Linux", "x86_64")).isEqualTo("linux-x86_64");
    assertThat(NativeLibrary.resourceName("linux-x86_64"))
        .isEqualTo("/native/linux-x86_64/libzkprover.so");
  }

  @Test
  void refusesUnsupportedPlatformsWithAClearMessage() {
    assertThatThrownBy(() -> NativeLibrary.platform("Mac OS X", "aarch64"))
        .isInstanceOf(NativeLibraryException.class)
        .hasMessage(
            "zkperp prover: no native library for mac os x/aarch64; supported: linux-x86_64");
    assertThatThrownBy(() -> NativeLibrary.platform("Linux", "aarch64"))
        .isInstanceOf(NativeLibraryException.class)
        .hasMessageContaining("linux/aarch64");
    assertThatThrownBy(() -> NativeLibrary.platform("Windows 11", "amd64"))
        .isInstanceOf(NativeLibraryException.class)
        .hasMessageContaining("windows 11/amd64");
  }

  @Test
  void aMissingResourceIsATypedError() {
    assertThatThrownBy(() -> NativeLibrary.extract("/native/solaris-sparc/libzkprover.so"))
        .isInstanceOf(NativeLibraryException.class)
        .hasMessageContaining(
            "/native/solaris-sparc/libzkprover.so is missing from the class path");
  }

  @Test
  void theJarCarriesTheLibraryAndItLoadsWithTheRightAbi() {
    assertThat(NativeLibrary.class.getResource(NativeLibrary.resourceName("linux-x86_64")))
        .as("libzkprover.so packed by the build")
        .isNotNull();
    NativeLibrary.load();
    NativeLibrary.load(); // idempotent
    assertThat(NativeLibrary.isLoaded()).isTrue();
    assertThat(NativeProver.abiVersion()).isEqualTo(NativeProver.ABI_VERSION);
  }
}
