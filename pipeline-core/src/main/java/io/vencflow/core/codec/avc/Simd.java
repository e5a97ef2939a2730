package io.vencflow.core.codec.avc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the encoder's whole-sample SAD ({@link Sad#sad}) runs on the JDK's vector API (SIMD
 * instructions through {@code jdk.incubator.vector}) instead of eight samples to a {@code long}; the
 * other kernels are packed either way (see {@link VectorKernels}). It does when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, its preferred vectors are at least 256
 * bits wide (AVX2; narrower ones would fall back to slow Java loops), and
 * {@code -Dvencflow.simd=false} does not turn it off. Both ways give the same bytes. This class
 * touches no vector type, so it loads on every JVM.
 */
final class Simd {
    private static final Logger LOG = LoggerFactory.getLogger(Simd.class);
    /** Whether the vector kernels are in use; fixed at class initialization, so the JIT folds it. */
    static final boolean ENABLED = detect();

    private Simd() {
    }

    private static boolean detect() {
        if ("false".equals(System.getProperty("vencflow.simd"))) {
            LOG.info("java encoder: SIMD kernels off (-Dvencflow.simd=false)");
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.info("java encoder: SIMD kernels off; start the JVM with --add-modules jdk.incubator.vector for them");
            return false;
        }
        try {
            int bits = VectorKernels.preferredBits();
            if (bits < 256) {
                LOG.info("java encoder: SIMD kernels off: this CPU's vectors are {} bits, 256 are needed", bits);
                return false;
            }
            return true;
        } catch (LinkageError e) {
            LOG.info("java encoder: SIMD kernels off: {}", e.toString());
            return false;
        }
    }
}
