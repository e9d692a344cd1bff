package io.zkperp.prover;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads {@code libzkprover.so} once per JVM. The library is a resource of this jar at {@code
 * /native/<platform>/libzkprover.so}; it is copied to a temporary file, {@link System#load loaded}
 * and the file deleted again (the mapping stays valid on Linux), so nothing is left behind even
 * when the JVM is killed. The system property {@value #LIBRARY_PROPERTY} names a library file to
 * load instead (for development). The JVM should run with {@code
 * --enable-native-access=ALL-UNNAMED} (JDK 24 and newer warn without it).
 *
 * <p>Thread-safe: any thread may call {@link #load()}; the first call loads, later calls return at
 * once or rethrow the first failure.
 */
public final class NativeLibrary {

  /** The platforms a library is packed for, as {@code os-arch}. */
  public static final String SUPPORTED_PLATFORMS = "linux-x86_64";

  /** System property naming a library file to load instead of the packed one. */
  public static final String LIBRARY_PROPERTY = "zkperp.prover.library";

  static final String LIBRARY_FILE = "libzkprover.so";

  private static final Object LOCK = new Object();
  private static boolean loaded;
  private static NativeLibraryException failure;

  private NativeLibrary() {}

  /**
   * Loads the native library if this JVM has not loaded it yet, and checks its ABI version.
   *
   * @throws NativeLibraryException on an unsupported platform, a missing resource, a load failure
   *     or a library of another ABI version (every later call throws the same message again)
   */
  public static void load() {
    synchronized (LOCK) {
      if (loaded) {
        return;
      }
      if (failure != null) {
        throw new NativeLibraryException(failure.getMessage(), failure);
      }
      try {
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
          systemLoad(Path.of(override).toAbsolutePath());
        } else {
          String resource =
              resourceName(platform(System.getProperty("os.name"), System.getProperty("os.arch")));
          Path file = extract(resource);
          try {
            systemLoad(file);
          } finally {
            deleteQuietly(file);
          }
        }
        int abi = NativeProver.abiVersion();
        if (abi != NativeProver.ABI_VERSION) {
          throw new NativeLibraryException(
              "zkperp prover: native library has ABI version "
                  + abi
                  + ", this jar expects "
                  + NativeProver.ABI_VERSION
                  + " (stale library on the class path?)");
        }
        loaded = true;
      } catch (NativeLibraryException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Tells whether the library is loaded in this JVM.
   *
   * @return true after a successful {@link #load()}
   */
  public static boolean isLoaded() {
    synchronized (LOCK) {
      return loaded;
    }
  }

  /**
   * Maps a JVM's {@code os.name} and {@code os.arch} onto a supported platform name.
   *
   * @param osName the value of {@code os.name}
   * @param osArch the value of {@code os.arch}
   * @return the platform, e.g. {@code linux-x86_64}
   * @throws NativeLibraryException if no library is built for that platform
   */
  static String platform(String osName, String osArch) {
    String os = osName == null ? "unknown" : osName.toLowerCase(Locale.ROOT).trim();
    String arch = osArch == null ? "unknown" : osArch.toLowerCase(Locale.ROOT).trim();
    if (os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      return "linux-x86_64";
    }
    throw new NativeLibraryException(
        "zkperp prover: no native library for "
            + os
            + "/"
            + arch
            + "; supported: "
            + SUPPORTED_PLATFORMS);
  }

  /**
   * The class-path resource of the library for a platform.
   *
   * @param platform a platform from {@link #platform(String, String)}
   * @return the absolute resource name
   */
  static String resourceName(String platform) {
    return "/native/" + platform + "/" + LIBRARY_FILE;
  }

  /**
   * Copies a library resource to a new temporary file.
   *
   * @param resource the absolute resource name
   * @return the temporary file (the caller deletes it)
   * @throws NativeLibraryException if the resource is missing or cannot be copied
   */
  static Path extract(String resource) {
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new NativeLibraryException(
            "zkperp prover: native library "
                + resource
                + " is missing from the class path (the jar was built without it, e.g. with"
                + " -Dzkperp.native.skip=true, or on another platform)");
      }
      Path file = Files.createTempFile("libzkprover-", ".so");
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        deleteQuietly(file);
        throw e;
      }
      return file;
    } catch (IOException e) {
      throw new NativeLibraryException(
          "zkperp prover: cannot extract " + resource + " to a temporary file: " + e, e);
    }
  }

  @SuppressWarnings("restricted")
  private static void systemLoad(Path file) {
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError | SecurityException e) {
      throw new NativeLibraryException("zkperp prover: cannot load " + file + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temporary file is harmless
    }
  }
}
