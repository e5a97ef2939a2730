package io.vencflow.core.codec.avc;

import static org.jcodec.codecs.h264.io.write.CAVLCWriter.writeSE;
import static org.jcodec.codecs.h264.io.write.CAVLCWriter.writeUE;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jcodec.codecs.h264.H264Const;
import org.jcodec.codecs.h264.decode.BlockInterpolator;
import org.jcodec.codecs.h264.decode.CoeffTransformer;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.write.SliceHeaderWriter;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * Encodes macroblock rows of a picture's one slice: mode decision, residual coding, CAVLC, and the
 * reconstruction the decoder will produce (before deblocking); and puts the slice together from its
 * rows ({@link RowBits}). One instance per thread: it owns its scratch blocks and CAVLC row
 * contexts; several code the rows of a picture as a wavefront.
 *
 * <p>Macroblock types: I16x16 (4 luma modes, 4 chroma modes, by SATD), I4x4, P16x16, P16x8, P8x16
 * and P8x8 with quarter-pel vectors, and P_Skip.
 */
final class SliceEncoder {
    private static final int[] ZIGZAG = CoeffTransformer.zigzag4x4;
    /** Block index (coding order) to raster 4x4 position: x = BLK_X[i], y = BLK_Y[i]. */
    private static final int[] BLK_X = {0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3};
    private static final int[] BLK_Y = {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3};

    private final MacroblockInfo info;
    private final int mbWidth;
    private final int lumaStride;
    private final int chromaStride;
    private final ResidualWriter residuals;
    private final BlockInterpolator interpolator = new BlockInterpolator();
    private final MotionSearch motion;
    private final ByteBuffer buffer;

    // Scratch, reused for every macroblock.
    private final byte[] predY = new byte[256];
    private final byte[] bestPredY = new byte[256];
    private final byte[][] predC = {new byte[64], new byte[64]};
    /**
     * The levels of the macroblock's 4x4 blocks. A block whose {@link #lumaNonZero} (or
     * {@link #chromaNonZero}) is 0 is all zeros, always: zeroing it again is skipped.
     */
    private final int[][] lumaCoef = new int[16][16];
    private final int[] lumaDc = new int[16];
    private final int[] lumaDcLevels = new int[16];
    private final int[][][] chromaCoef = new int[2][4][16];
    private final int[][] chromaDc = new int[2][4];
    private final int[][] chromaDcLevels = new int[2][4];
    private final int[] lumaNonZero = new int[16];
    /** The non-zero AC levels of each chroma block in {@link #chromaCoef}. */
    private final int[][] chromaNonZero = new int[2][4];
    private final int[] block = new int[16];
    private final Picture mcLuma = Picture.create(16, 16, ColorSpace.YUV420J);
    private final int[] startX = new int[9];
    private final int[] startY = new int[9];

    /** Bits of the last encoded slice, for rate control. */
    private int cbpLuma;
    private int cbpChroma;
    private int qpPrev;

    SliceEncoder(ParameterSets sets, MacroblockInfo info, ResidualWriter.Tops tops, int bufferBytes) {
        this.info = info;
        this.mbWidth = info.mbWidth;
        this.lumaStride = info.mbWidth * 16;
        this.chromaStride = info.mbWidth * 8;
        this.residuals = new ResidualWriter(tops);
        this.buffer = ByteBuffer.allocate(bufferBytes);
        this.motion = new MotionSearch(sets.level().maxVerticalMv());
    }

    /** The per-picture facts the picture loop hands over (one slice a picture). */
    static final class Job {
        SliceHeader header;
        boolean idr;
        int pictureQp;
        /** Bits the picture should spend; rows steer by it. */
        double targetBits;
        RateControl rateControl;
        Picture source;
        Picture recon;
        Picture reference;
        int lambdaBias;
        boolean subPel;
        /** Whether Intra4x4 is tried beside Intra16x16. */
        boolean intra4x4;
        /** Whether P16x8 and P8x16 are tried beside P16x16. */
        boolean partitions;
        /** Whether P8x8 is tried too. */
        boolean partitions8x8;
        /** Adaptive quantization's strength (0: off) and the QP range it keeps to. */
        double aqStrength;
        int qpMin;
        int qpMax;
        /** The reference's luma, padded, for the motion search. */
        PaddedLuma paddedReference;
        /** The reference's half-sample planes, computed as the motion search needs them. */
        HalfPlanes halfPlanes;
        /**
         * Work a worker may do while it waits on the row above in row {@code mbY}, a little at a
         * time: true if it did some, false if there is none.
         */
        java.util.function.IntPredicate whileWaiting = mbY -> false;
        byte[] nal;
        long bits;
        long qpSum;
    }

    private final SubPelWindow window = new SubPelWindow();

    /** Inter macroblocks coded (not skipped) so far. */
    long interCoded;

    /** Macroblocks whose motion was searched so far. */
    long searched() {
        return motion.searches;
    }

    /**
     * Codes macroblock row {@code mbY} into {@code row}: a wavefront, each macroblock once the row
     * above has coded the one above-right of it ({@code progress}, macroblocks done per row at
     * {@code mbY * stride}, published with release semantics; the last one after the row's bits are
     * finished). With row rate control, the row's QP follows the bits of the rows up to two above
     * (so it is the same whichever threads code the rows).
     */
    void encodeRow(Job job, int mbY, RowBits[] rows, AtomicIntegerArray progress, int stride) {
        if (!job.idr) {
            window.reference(job.paddedReference, job.halfPlanes);
        }
        RowBits row = rows[mbY];
        this.row = row;
        BitWriter out = row.start();
        int qp = job.pictureQp;
        if (job.rateControl.steersRows() && mbY >= 2) {
            awaitProgress(progress, (mbY - 2) * stride, mbWidth);
            long bitsAbove = 0;
            for (int r = 0; r < mbY - 1; r++) {
                bitsAbove += rows[r].bits();
            }
            qp = job.rateControl.rowQp(job.pictureQp, bitsAbove, mbY - 1, info.mbHeight, job.targetBits);
        }
        row.qp = qp;
        qpPrev = RowBits.QP_FROM_ROW_ABOVE;
        int skipRun = 0;
        int above = mbY > 0 ? 0 : mbWidth; // the row above's progress last seen: read again only when short
        for (int mbX = 0; mbX < mbWidth; mbX++) {
            int needed = Math.min(mbWidth, mbX + 2);
            if (above < needed) {
                above = awaitAbove(job, progress, (mbY - 1) * stride, needed, mbY);
            }
            int qpBeforeMacroblock = qpPrev;
            boolean skipped = false;
            int mbQp = job.aqStrength > 0 ? adaptiveQp(job, qp, mbX, mbY) : qp;
            if (job.idr) {
                encodeIntra(job, out, mbX, mbY, mbQp, -1);
            } else {
                skipped = encodeInterOrIntra(job, out, mbX, mbY, mbQp, skipRun);
            }
            if (skipped) {
                skipRun++;
            } else {
                skipRun = 0;
                int bits = row.macroblockBits();
                if (bits > MAX_MACROBLOCK_BITS - FIRST_QP_DELTA_BITS) {
                    out = codePcm(job, mbX, mbY, qpBeforeMacroblock);
                    bits = row.macroblockBits();
                }
                largestMacroblock = Math.max(largestMacroblock, bits);
            }
            if (mbX + 1 < mbWidth) {
                progress.setRelease(mbY * stride, mbX + 1); // publishes the macroblock's samples and facts
            }
        }
        row.finish(skipRun, qpPrev);
        progress.setRelease(mbY * stride, mbWidth);
    }

    /** As {@link #awaitProgress}, doing the job's {@link Job#whileWaiting} work while there is some. */
    private static int awaitAbove(Job job, AtomicIntegerArray progress, int index, int needed, int mbY) {
        int seen = progress.getAcquire(index);
        while (seen < needed && job.whileWaiting.test(mbY)) {
            seen = progress.getAcquire(index);
        }
        return seen < needed ? awaitProgress(progress, index, needed) : seen;
    }

    /**
     * Waits until {@code progress} at {@code index} reaches {@code needed} (acquire); returns the value
     * it read, which may be more.
     */
    static int awaitProgress(AtomicIntegerArray progress, int index, int needed) {
        int seen;
        for (int spins = 0; (seen = progress.getAcquire(index)) < needed; spins++) {
            pause(spins);
        }
        return seen;
    }

    /**
     * One step of a worker's wait on another's progress that has taken {@code spins} steps: a spin for
     * the first two thousand, then a yield (more workers than free cores: let the one waited for run).
     */
    static void pause(int spins) {
        if (spins < 2_000) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** The slice being put together: its bits so far, rows appended, the skip run they left, their QPs' sum. */
    private BitWriter stitchOut;
    private int stitchedRows;
    private int stitchPending;
    private long stitchQpSum;

    /** Starts putting the picture's slice together: its header, no rows yet. */
    void startSlice(Job job) {
        buffer.clear();
        stitchOut = new BitWriter(buffer);
        SliceHeader sh = job.header;
        sh.firstMbInSlice = 0;
        SliceHeaderWriter.write(sh, job.idr, 3, stitchOut);
        stitchedRows = 0;
        stitchPending = 0;
        stitchQpSum = 0;
    }

    /**
     * Appends the coded rows from the last appended up to {@code upTo - 1} to the slice begun by
     * {@link #startSlice}, each after the QP the rows before it left ({@code qpBefore}), which must
     * be settled. Another thread may run this, before {@link #stitch}.
     */
    void stitchRows(Job job, RowBits[] rows, int[] qpBefore, int upTo) {
        for (int r = stitchedRows; r < upTo; r++) {
            stitchPending = rows[r].appendTo(stitchOut, stitchPending, qpBefore[r], mbWidth, job.idr);
            stitchQpSum += rows[r].qp;
        }
        stitchedRows = Math.max(stitchedRows, upTo);
    }

    /**
     * Finishes the slice from its coded rows: rows (each after the QP the rows before
     * it left, {@code qpBefore}), the last skip run, trailing bits; sets the job's NAL unit, bits and
     * QP sum. Goes on from {@link #startSlice} and any {@link #stitchRows} since.
     */
    void stitch(Job job, RowBits[] rows, int[] qpBefore) {
        stitchRows(job, rows, qpBefore, rows.length);
        BitWriter out = stitchOut;
        if (stitchPending > 0) {
            writeUE(out, stitchPending);
        }
        // rbsp_slice_trailing_bits
        out.write1Bit(1);
        out.flush();
        job.bits = 8L * buffer.position();
        job.qpSum = stitchQpSum * mbWidth;
        job.nal = ParameterSets.nal(job.idr ? ParameterSets.NAL_IDR : ParameterSets.NAL_SLICE, buffer);
    }

    /** The row being coded. */
    private RowBits row;

    /**
     * Starts a coded macroblock: the skip run in front of it in a P slice ({@code skipRun} -1 in an I
     * slice: none). See {@link RowBits#beginMacroblock}.
     */
    private void skipRunBefore(int skipRun) {
        row.beginMacroblock(skipRun);
    }

    /** Codes mb_qp_delta for {@code qp} (see RowBits.qpDelta) and makes {@code qp} the running QP. */
    private void qpDelta(int qp, int mbX) {
        row.qpDelta(qp, qpPrev, mbX);
        qpPrev = qp;
    }

    // ---------------------------------------------------------------- intra

    /**
     * Chooses and codes an Intra16x16 macroblock. {@code skipRun} is the run to write in front of it
     * in a P slice, or -1 in an I slice.
     */
    private void encodeIntra(Job job, BitWriter out, int mbX, int mbY, int qp, int skipRun) {
        int cost16 = bestIntraMode(job, mbX, mbY) + lambda(qp) * 4;
        codeBestIntra(job, out, mbX, mbY, qp, cost16, skipRun);
    }

    /** Codes Intra4x4 when its trial beats {@code cost16}, else Intra16x16 in {@link #lastIntraMode}. */
    private void codeBestIntra(Job job, BitWriter out, int mbX, int mbY, int qp, int cost16, int skipRun) {
        int mode16 = lastIntraMode;
        int chromaMode = bestChromaMode(job, mbX, mbY);
        if (job.intra4x4 && trialIntra4x4(job, mbX, mbY, qp, cost16) < cost16) {
            codeIntra4x4(job, out, mbX, mbY, qp, chromaMode, skipRun);
        } else {
            codeIntra(job, out, mbX, mbY, qp, mode16, chromaMode, skipRun);
        }
    }

    /** Returns the SATD of the best Intra16x16 mode; its prediction is left in {@link #bestPredY}. */
    private int bestIntraMode(Job job, int mbX, int mbY) {
        boolean left = leftAvailable(mbX, mbY, job);
        boolean top = topAvailable(mbX, mbY, job);
        boolean topLeft = left && top;
        byte[] src = job.source.getPlaneData(0);
        byte[] rec = job.recon.getPlaneData(0);
        int off = mbY * 16 * lumaStride + mbX * 16;
        for (int blk = 0; blk < 16; blk++) {
            sourceSum[blk] = Satd.transform(src, off + (blk >> 2) * 4 * lumaStride + (blk & 3) * 4, lumaStride,
                    sourceHadamard, blk * 16);
        }
        int best = Integer.MAX_VALUE;
        int bestMode = IntraPredict.DC;
        for (int mode = 0; mode < 4; mode++) {
            if (!IntraPredict.lumaModeAvailable(mode, left, top, topLeft)) {
                continue;
            }
            IntraPredict.predict(rec, lumaStride, mbX * 16, mbY * 16, 16, false, mode, left, top, topLeft, predY);
            int satd = mode == IntraPredict.PLANE ? Satd.satd16x16(src, off, lumaStride, predY)
                    : flatSatd(mode == IntraPredict.V ? FLAT_V : mode == IntraPredict.H ? FLAT_H : FLAT_DC, predY, 16,
                            4, 0);
            if (satd < best) {
                best = satd;
                bestMode = mode;
                System.arraycopy(predY, 0, bestPredY, 0, 256);
            }
        }
        lastIntraMode = bestMode;
        return best;
    }

    private int lastIntraMode;

    /**
     * The Hadamard transforms of the source's 4x4 blocks being predicted, and their magnitudes: the
     * macroblock's 16 luma blocks (raster order), left by {@link #bestIntraMode} for
     * {@link #trialIntra4x4} too, then the 8 chroma blocks from {@link #CHROMA_BLOCKS}.
     */
    private final int[] sourceHadamard = new int[24 * 16];
    private final int[] sourceSum = new int[24];
    private static final int CHROMA_BLOCKS = 16;

    private static final int FLAT_V = 0;
    private static final int FLAT_H = 1;
    private static final int FLAT_DC = 2;

    /**
     * SATD of the source blocks in {@link #sourceHadamard} (from {@code first}, {@code blocks} a row
     * of {@code blocks}) against a prediction that is flat in {@code kind} in each 4x4 block: vertical,
     * horizontal or one value (see {@link Satd#transform}). {@code pred} is row-major, {@code n} wide.
     */
    private int flatSatd(int kind, byte[] pred, int n, int blocks, int first) {
        int sum = 0;
        for (int by = 0; by < blocks; by++) {
            for (int bx = 0; bx < blocks; bx++) {
                int blk = first + by * blocks + bx;
                int h = blk * 16;
                int p = by * 4 * n + bx * 4;
                sum += switch (kind) {
                    case FLAT_V -> Satd.vertical(sourceHadamard, h, sourceSum[blk], pred[p], pred[p + 1], pred[p + 2],
                            pred[p + 3]);
                    case FLAT_H -> Satd.horizontal(sourceHadamard, h, sourceSum[blk], pred[p], pred[p + n],
                            pred[p + 2 * n], pred[p + 3 * n]);
                    default -> Satd.flat(sourceHadamard, h, sourceSum[blk], pred[p]);
                };
            }
        }
        return sum;
    }

    /**
     * Whether intra is tried against an inter prediction of SAD {@code interSad}: where that SAD is
     * above 48 quantizer steps and DC prediction alone comes within twice it.
     */
    private boolean intraWorthTrying(Job job, int mbX, int mbY, int qp, int interSad) {
        if (interSad <= 48 * qstep(qp)) {
            return false;
        }
        boolean left = leftAvailable(mbX, mbY, job);
        boolean top = topAvailable(mbX, mbY, job);
        IntraPredict.predict(job.recon.getPlaneData(0), lumaStride, mbX * 16, mbY * 16, 16, false, IntraPredict.DC,
                left, top, left && top, dcPrediction);
        byte[] src = job.source.getPlaneData(0);
        int off = mbY * 16 * lumaStride + mbX * 16;
        int sad = 0;
        for (int j = 0; j < 16; j++) {
            for (int i = 0; i < 16; i++) {
                sad += Math.abs(src[off + j * lumaStride + i] - dcPrediction[j * 16 + i]);
            }
        }
        return sad < 2 * interSad;
    }

    /** Intra 16x16 DC prediction, for {@link #intraWorthTrying}: predY may hold the inter prediction. */
    private final byte[] dcPrediction = new byte[256];

    /** Whether partitions are tried where the 16x16 vector leaves a SAD of {@code sad} (see step 4). */
    private boolean partitionsWorthTrying(Job job, int qp, int sad) {
        return job.partitions && sad > Math.max(PARTITION_SAD_PER_QSTEP * qstep(qp), PARTITION_SAD_MIN);
    }

    /** Whether a 16x16 inter prediction of SAD {@code sad} goes on to trials of intra or partitions. */
    private boolean triesMoreThan16x16(Job job, int mbX, int mbY, int qp, int sad) {
        return partitionsWorthTrying(job, qp, sad) || intraWorthTrying(job, mbX, mbY, qp, sad);
    }

    private int bestChromaMode(Job job, int mbX, int mbY) {
        boolean left = leftAvailable(mbX, mbY, job);
        boolean top = topAvailable(mbX, mbY, job);
        boolean topLeft = left && top;
        int off = mbY * 8 * chromaStride + mbX * 8;
        for (int c = 0; c < 2; c++) {
            byte[] src = job.source.getPlaneData(c + 1);
            for (int b = 0; b < 4; b++) {
                int blk = CHROMA_BLOCKS + c * 4 + b;
                sourceSum[blk] = Satd.transform(src, off + (b >> 1) * 4 * chromaStride + (b & 1) * 4, chromaStride,
                        sourceHadamard, blk * 16);
            }
        }
        int best = Integer.MAX_VALUE;
        int bestMode = IntraPredict.C_DC;
        for (int mode = 0; mode < 4; mode++) {
            if (!IntraPredict.chromaModeAvailable(mode, left, top, topLeft)) {
                continue;
            }
            int satd = 0;
            for (int c = 0; c < 2; c++) {
                IntraPredict.predict(job.recon.getPlaneData(c + 1), chromaStride, mbX * 8, mbY * 8, 8, true, mode,
                        left, top, topLeft, predC[c]);
                satd += mode == IntraPredict.C_PLANE
                        ? Satd.satd8x8(job.source.getPlaneData(c + 1), off, chromaStride, predC[c])
                        : flatSatd(mode == IntraPredict.C_V ? FLAT_V : mode == IntraPredict.C_H ? FLAT_H : FLAT_DC,
                                predC[c], 8, 2, CHROMA_BLOCKS + c * 4);
            }
            if (satd < best) {
                best = satd;
                bestMode = mode;
            }
        }
        return bestMode;
    }

    private void codeIntra(Job job, BitWriter out, int mbX, int mbY, int qp, int mode, int chromaMode,
            int skipRun) {
        boolean left = leftAvailable(mbX, mbY, job);
        boolean top = topAvailable(mbX, mbY, job);
        // Luma prediction of the chosen mode and chroma of the chosen chroma mode.
        IntraPredict.predict(job.recon.getPlaneData(0), lumaStride, mbX * 16, mbY * 16, 16, false, mode, left, top,
                left && top, predY);
        for (int c = 0; c < 2; c++) {
            IntraPredict.predict(job.recon.getPlaneData(c + 1), chromaStride, mbX * 8, mbY * 8, 8, true, chromaMode,
                    left, top, left && top, predC[c]);
        }
        // Luma: 16 transforms, DC apart through the Hadamard transform.
        byte[] src = job.source.getPlaneData(0);
        int srcOff = mbY * 16 * lumaStride + mbX * 16;
        boolean anyAc = false;
        for (int b = 0; b < 16; b++) {
            int bx = b & 3;
            int by = b >> 2;
            int[] coef = lumaCoef[b];
            Quant.forward4x4(src, srcOff + by * 4 * lumaStride + bx * 4, lumaStride, predY, by * 64 + bx * 4, 16,
                    coef);
            lumaDc[b] = coef[0];
            coef[0] = 0;
            int nz = Quant.quantize4x4(coef, qp, true, 1);
            lumaNonZero[b] = nz;
            anyAc |= nz > 0;
        }
        CoeffTransformer.fvdDC4x4(lumaDc);
        Quant.quantizeLumaDc(lumaDc, qp);
        System.arraycopy(lumaDc, 0, lumaDcLevels, 0, 16);
        cbpLuma = anyAc ? 15 : 0;
        if (!anyAc) {
            for (int b = 0; b < 16; b++) {
                clearLuma(b);
            }
        }
        chromaResidual(job, mbX, mbY, Quant.chromaQp(qp), true);

        // Syntax.
        skipRunBefore(skipRun);
        int mbType = 1 + mode + 4 * cbpChroma + (cbpLuma == 15 ? 12 : 0);
        writeUE(out, skipRun >= 0 ? mbType + 5 : mbType);
        writeUE(out, chromaMode);
        qpDelta(qp, mbX);
        residuals.lumaDc(out, mbX << 2, left, top, lumaDcLevels, ZIGZAG);
        writeLuma(out, mbX, mbY, left, top, cbpLuma, true);
        writeChroma(out, mbX, mbY, left, top);

        // Reconstruction and what neighbours and the deblocker need.
        System.arraycopy(lumaDcLevels, 0, lumaDc, 0, 16);
        Quant.reconstructLumaDc(lumaDc, qp);
        byte[] rec = job.recon.getPlaneData(0);
        for (int b = 0; b < 16; b++) {
            int bx = b & 3;
            int by = b >> 2;
            System.arraycopy(lumaCoef[b], 0, block, 0, 16);
            Quant.reconstruct4x4(block, qp, true, lumaDc[b]);
            addBlock(rec, srcOff + by * 4 * lumaStride + bx * 4, lumaStride, predY, by * 64 + bx * 4, 16, block);
        }
        reconstructChroma(job, mbX, mbY, Quant.chromaQp(qp));
        commit(mbX, mbY, MacroblockInfo.I16X16, qp, 0, 0, null);
    }

    // ---------------------------------------------------------------- intra 4x4

    /** Raster 4x4 position (y * 4 + x) to its block index in coding order. */
    private static final int[] RASTER_TO_BLK = new int[16];
    /** Code numbers of coded_block_pattern for Intra4x4 macroblocks (Table 9-4, inverse). */
    private static final int[] INTRA_CBP_CODE = new int[48];

    static {
        for (int i = 0; i < 16; i++) {
            RASTER_TO_BLK[BLK_Y[i] * 4 + BLK_X[i]] = i;
        }
        for (int code = 0; code < 48; code++) {
            INTRA_CBP_CODE[H264Const.CODED_BLOCK_PATTERN_INTRA_COLOR[code]] = code;
        }
    }

    private final int[][] i4Coef = new int[16][16];
    private final int[] i4Modes = new int[16];
    private final int[] i4NonZero = new int[16];
    private final int[] i4Edge = new int[13];
    private final int[] i4Filtered = new int[Intra4x4Predict.FILTERED];
    private final byte[] i4Pred = new byte[16];
    private final byte[] i4Best = new byte[16];
    private int i4Cbp;

    /**
     * Decides, codes and reconstructs the 16 blocks of an Intra4x4 macroblock in coding order (each
     * predicts from the reconstruction of the ones before it), stopping once its cost passes
     * {@code limit}. Returns its cost (SATD plus lambda times the mode bits and an overhead). Runs
     * after {@link #bestIntraMode} of the same macroblock, whose source transforms it reads.
     */
    private int trialIntra4x4(Job job, int mbX, int mbY, int qp, int limit) {
        int lambda = lambda(qp);
        byte[] src = job.source.getPlaneData(0);
        byte[] rec = job.recon.getPlaneData(0);
        boolean mbLeft = mbX > 0;
        boolean mbTop = mbY > 0;
        boolean mbTopRight = mbTop && info.available(mbX + 1, mbY - 1);
        int w4 = mbWidth * 4;
        int cost = lambda * 24;
        i4Cbp = 0;
        for (int i = 0; i < 16; i++) {
            int bx = BLK_X[i];
            int by = BLK_Y[i];
            int r = by * 4 + bx;
            boolean left = bx > 0 || mbLeft;
            boolean top = by > 0 || mbTop;
            boolean topLeft = bx > 0 && by > 0 || (bx == 0 && by > 0 ? mbLeft : bx > 0 ? mbTop : mbLeft && mbTop);
            boolean topRight = by == 0 ? (bx < 3 ? mbTop : mbTopRight)
                    : bx < 3 && RASTER_TO_BLK[(by - 1) * 4 + bx + 1] < i;
            int x = mbX * 16 + bx * 4;
            int y = mbY * 16 + by * 4;
            Intra4x4Predict.gather(rec, lumaStride, x, y, left, top, topLeft, topRight, i4Edge);
            // Most probable mode: the smaller of the neighbours' modes, DC when one is missing.
            int predMode;
            if (!left || !top) {
                predMode = Intra4x4Predict.DC;
            } else {
                int a = bx > 0 ? i4Modes[r - 1] : info.intra4x4Mode[((mbY << 2) + by) * w4 + (mbX << 2) - 1];
                int b = by > 0 ? i4Modes[r - 4] : info.intra4x4Mode[((mbY << 2) - 1) * w4 + (mbX << 2) + bx];
                predMode = Math.min(a, b);
            }
            int off = y * lumaStride + x;
            int sum = sourceSum[r]; // bestIntraMode transformed the source block
            Intra4x4Predict.filter(i4Edge, i4Filtered);
            int[] e = i4Edge;
            int best = Integer.MAX_VALUE;
            int bestMode = Intra4x4Predict.DC;
            int vertical = Integer.MAX_VALUE;
            int horizontal = Integer.MAX_VALUE;
            for (int mode = 0; mode <= Intra4x4Predict.DC; mode++) { // priced from the source's transform
                if (!Intra4x4Predict.available(mode, left, top, topLeft)) {
                    continue;
                }
                int c = Intra4x4Predict.flatSatd(mode, e, left, top, sourceHadamard, r * 16, sum)
                        + lambda * (mode == predMode ? 1 : 4);
                if (mode == Intra4x4Predict.VERTICAL) {
                    vertical = c;
                } else if (mode == Intra4x4Predict.HORIZONTAL) {
                    horizontal = c;
                }
                if (c < best) {
                    best = c;
                    bestMode = mode;
                }
            }
            for (int mode : directionalModes(left, top, vertical, horizontal)) {
                if (!Intra4x4Predict.available(mode, left, top, topLeft)) {
                    continue;
                }
                Intra4x4Predict.predict(mode, e, i4Filtered, left, top, i4Pred);
                int c = Satd.satd4x4(src, off, lumaStride, i4Pred, 0, 4) + lambda * (mode == predMode ? 1 : 4);
                if (c < best) {
                    best = c;
                    bestMode = mode;
                }
            }
            Intra4x4Predict.predict(bestMode, e, i4Filtered, left, top, i4Best);
            cost += best;
            i4Modes[r] = bestMode;
            int[] coef = i4Coef[r];
            Quant.forward4x4(src, off, lumaStride, i4Best, 0, 4, coef);
            int nz = Quant.quantize4x4(coef, qp, true, 0);
            i4NonZero[r] = nz;
            if (nz != 0) {
                i4Cbp |= 1 << (i >> 2);
                System.arraycopy(coef, 0, block, 0, 16);
                Quant.reconstruct4x4(block, qp, false, 0);
                addBlock(rec, off, lumaStride, i4Best, 0, 4, block);
            } else {
                copyBlock(rec, off, lumaStride, i4Best, 0, 4, 4);
            }
            if (cost >= limit) {
                return Integer.MAX_VALUE;
            }
        }
        return cost;
    }

    /*
     * The directional modes an Intra4x4 block tries. Where vertical and horizontal prediction differ
     * by at least a quarter (of the better one's cost), only the 3 or 4 directions nearest the better
     * one (x264's shortcut at its fast presets); else all 6. With one neighbour, the 1 or 2 that use
     * it. Each mode left out saves a prediction and a SATD: IDR pictures encoded 10% faster, for 0.6%
     * more bytes (1280x720 scene, QPs 22-34); on the clips and the scene at GOP 30 the bytes moved by
     * -2.0% to +0.9%, luma PSNR by at most 0.05 dB. The shortcut alone, with no quarter, was 17%
     * faster but cost 2.2% and up to 2.6% at GOP 30.
     */
    private static final int[] NEAR_VERTICAL = {Intra4x4Predict.DIAGONAL_DOWN_LEFT, Intra4x4Predict.DIAGONAL_DOWN_RIGHT,
            Intra4x4Predict.VERTICAL_RIGHT, Intra4x4Predict.VERTICAL_LEFT};
    private static final int[] NEAR_HORIZONTAL = {Intra4x4Predict.DIAGONAL_DOWN_RIGHT,
            Intra4x4Predict.HORIZONTAL_DOWN, Intra4x4Predict.HORIZONTAL_UP};
    private static final int[] ALL_DIRECTIONAL = {Intra4x4Predict.DIAGONAL_DOWN_LEFT,
            Intra4x4Predict.DIAGONAL_DOWN_RIGHT, Intra4x4Predict.VERTICAL_RIGHT, Intra4x4Predict.HORIZONTAL_DOWN,
            Intra4x4Predict.VERTICAL_LEFT, Intra4x4Predict.HORIZONTAL_UP};
    private static final int[] ABOVE_ONLY = {Intra4x4Predict.DIAGONAL_DOWN_LEFT, Intra4x4Predict.VERTICAL_LEFT};
    private static final int[] LEFT_ONLY = {Intra4x4Predict.HORIZONTAL_UP};

    /** The directional modes to try, given the costs of vertical and horizontal prediction. */
    private static int[] directionalModes(boolean left, boolean top, int vertical, int horizontal) {
        if (!left || !top) {
            return top ? ABOVE_ONLY : LEFT_ONLY;
        }
        int better = Math.min(vertical, horizontal);
        if (Math.max(vertical, horizontal) - better < better / 4) {
            return ALL_DIRECTIONAL;
        }
        return vertical < horizontal ? NEAR_VERTICAL : NEAR_HORIZONTAL;
    }

    private void codeIntra4x4(Job job, BitWriter out, int mbX, int mbY, int qp, int chromaMode, int skipRun) {
        boolean left = mbX > 0;
        boolean top = mbY > 0;
        for (int c = 0; c < 2; c++) {
            IntraPredict.predict(job.recon.getPlaneData(c + 1), chromaStride, mbX * 8, mbY * 8, 8, true, chromaMode,
                    left, top, left && top, predC[c]);
        }
        chromaResidual(job, mbX, mbY, Quant.chromaQp(qp), true);
        for (int r = 0; r < 16; r++) {
            System.arraycopy(i4Coef[r], 0, lumaCoef[r], 0, 16);
            lumaNonZero[r] = i4NonZero[r];
        }
        int cbp = i4Cbp | (cbpChroma << 4);
        skipRunBefore(skipRun);
        writeUE(out, skipRun >= 0 ? 5 : 0); // I_NxN
        int w4 = mbWidth * 4;
        for (int i = 0; i < 16; i++) {
            int bx = BLK_X[i];
            int by = BLK_Y[i];
            int r = by * 4 + bx;
            boolean bl = bx > 0 || left;
            boolean bt = by > 0 || top;
            int predMode;
            if (!bl || !bt) {
                predMode = Intra4x4Predict.DC;
            } else {
                int a = bx > 0 ? i4Modes[r - 1] : info.intra4x4Mode[((mbY << 2) + by) * w4 + (mbX << 2) - 1];
                int b = by > 0 ? i4Modes[r - 4] : info.intra4x4Mode[((mbY << 2) - 1) * w4 + (mbX << 2) + bx];
                predMode = Math.min(a, b);
            }
            int mode = i4Modes[r];
            if (mode == predMode) {
                out.write1Bit(1);
            } else {
                out.write1Bit(0);
                out.writeNBit(mode < predMode ? mode : mode - 1, 3);
            }
        }
        writeUE(out, chromaMode);
        writeUE(out, INTRA_CBP_CODE[cbp]);
        if (cbp != 0) {
            qpDelta(qp, mbX);
        }
        int qpCoded = qpPrev;
        writeLuma(out, mbX, mbY, left, top, i4Cbp, false);
        writeChroma(out, mbX, mbY, left, top);
        reconstructChroma(job, mbX, mbY, Quant.chromaQp(qp));
        commit(mbX, mbY, MacroblockInfo.I4X4, qpCoded, 0, 0, i4Modes);
    }

    // ---------------------------------------------------------------- inter

    private static final int UNAVAILABLE = -2;
    /** Passed as the vector to {@link #commit} when the partitions' vectors are already set. */
    private static final int PARTITIONED = Integer.MIN_VALUE;
    static final int SHAPE_16X16 = 0;
    static final int SHAPE_16X8 = 1;
    static final int SHAPE_8X16 = 2;
    /** P_8x8 with four P_L0_8x8 sub-macroblocks. */
    static final int SHAPE_8X8 = 3;
    /** Partitions of each shape. */
    private static final int[] PARTS = {1, 2, 2, 4};

    private static int partX(int shape, int part) {
        return shape == SHAPE_8X16 ? part * 8 : shape == SHAPE_8X8 ? (part & 1) * 8 : 0;
    }

    private static int partY(int shape, int part) {
        return shape == SHAPE_16X8 ? part * 8 : shape == SHAPE_8X8 ? (part >> 1) * 8 : 0;
    }

    private static int partWidth(int shape) {
        return shape == SHAPE_16X8 || shape == SHAPE_16X16 ? 16 : 8;
    }

    private static int partHeight(int shape) {
        return shape == SHAPE_8X16 || shape == SHAPE_16X16 ? 16 : 8;
    }

    // Neighbours of the last predictMotion: reference (0, -1 intra, UNAVAILABLE) and vector.
    private int refA;
    private int refB;
    private int refC;
    private int mvAx;
    private int mvAy;
    private int mvBx;
    private int mvBy;
    private int mvCx;
    private int mvCy;
    private int predMvx;
    private int predMvy;

    /**
     * Reference of the 4x4 block at (x4, y4) as seen from the current macroblock {@code current}: 0
     * for an inter block, -1 intra, {@link #UNAVAILABLE} outside the picture or not coded yet. Blocks of the current macroblock are asked for only once coded.
     */
    private int refAt(int x4, int y4, int current) {
        if (x4 < 0 || y4 < 0 || x4 >= mbWidth << 2 || y4 >= info.mbHeight << 2) {
            return UNAVAILABLE;
        }
        int mb = (y4 >> 2) * mbWidth + (x4 >> 2);
        if (mb > current) {
            return UNAVAILABLE;
        }
        return mb == current || !info.isIntra(mb) ? 0 : -1;
    }

    /**
     * Motion vector prediction (8.4.1.3) of the partition whose top-left 4x4 block is (x4, y4) and
     * which is {@code w4} blocks wide; leaves the neighbours in refA.. and the prediction in predMv.
     */
    private void predictMotion(Job job, int mbX, int mbY, int x4, int y4, int w4, int shape, int part) {
        int current = mbY * mbWidth + mbX;
        int wb = mbWidth << 2;
        refA = refAt(x4 - 1, y4, current);
        refB = refAt(x4, y4 - 1, current);
        int cx4 = x4 + w4;
        refC = refAt(cx4, y4 - 1, current);
        if (refC == UNAVAILABLE) {
            cx4 = x4 - 1;
            refC = refAt(cx4, y4 - 1, current);
        }
        mvAx = refA == 0 ? info.mvx[y4 * wb + x4 - 1] : 0;
        mvAy = refA == 0 ? info.mvy[y4 * wb + x4 - 1] : 0;
        mvBx = refB == 0 ? info.mvx[(y4 - 1) * wb + x4] : 0;
        mvBy = refB == 0 ? info.mvy[(y4 - 1) * wb + x4] : 0;
        mvCx = refC == 0 ? info.mvx[(y4 - 1) * wb + cx4] : 0;
        mvCy = refC == 0 ? info.mvy[(y4 - 1) * wb + cx4] : 0;
        if (shape == SHAPE_16X8 && part == 0 && refB == 0) {
            predMvx = mvBx;
            predMvy = mvBy;
            return;
        }
        if (shape == SHAPE_16X8 && part == 1 && refA == 0 || shape == SHAPE_8X16 && part == 0 && refA == 0) {
            predMvx = mvAx;
            predMvy = mvAy;
            return;
        }
        if (shape == SHAPE_8X16 && part == 1 && refC == 0) {
            predMvx = mvCx;
            predMvy = mvCy;
            return;
        }
        int ax = mvAx;
        int ay = mvAy;
        int bx = mvBx;
        int by = mvBy;
        int cx = mvCx;
        int cy = mvCy;
        int ra = refA;
        int rb = refB;
        int rc = refC;
        if (rb == UNAVAILABLE && rc == UNAVAILABLE && ra != UNAVAILABLE) {
            bx = cx = ax;
            by = cy = ay;
            rb = rc = ra;
        }
        int matches = (ra == 0 ? 1 : 0) + (rb == 0 ? 1 : 0) + (rc == 0 ? 1 : 0);
        if (matches == 1) {
            predMvx = ra == 0 ? ax : rb == 0 ? bx : cx;
            predMvy = ra == 0 ? ay : rb == 0 ? by : cy;
        } else {
            predMvx = median(ax, bx, cx);
            predMvy = median(ay, by, cy);
        }
    }

    /** Sets the vector of the w4 x h4 4x4 blocks from (x4, y4). */
    private void setMotion(int x4, int y4, int w4, int h4, int mvx, int mvy) {
        int wb = mbWidth << 2;
        for (int j = 0; j < h4; j++) {
            int o = (y4 + j) * wb + x4;
            for (int i = 0; i < w4; i++) {
                info.mvx[o + i] = mvx;
                info.mvy[o + i] = mvy;
            }
        }
    }

    /** Codes a macroblock of a P slice; returns true when it was skipped (nothing written yet). */
    private boolean encodeInterOrIntra(Job job, BitWriter out, int mbX, int mbY, int qp, int skipRun) {
        int x4 = mbX << 2;
        int y4 = mbY << 2;
        predictMotion(job, mbX, mbY, x4, y4, 4, SHAPE_16X16, 0);
        int mvpX = predMvx;
        int mvpY = predMvy;
        int skipX;
        int skipY;
        if (refA == UNAVAILABLE || refB == UNAVAILABLE || (refA == 0 && mvAx == 0 && mvAy == 0)
                || (refB == 0 && mvBx == 0 && mvBy == 0)) {
            skipX = 0;
            skipY = 0;
        } else {
            skipX = mvpX;
            skipY = mvpY;
        }

        byte[] src = job.source.getPlaneData(0);
        int srcOff = mbY * 16 * lumaStride + mbX * 16;
        int lambda = lambda(qp);
        // The CBP of the residual at the skip vector when step 1 formed it whole, else -1.
        int skipCbp = -1;

        // 1. P_Skip when its prediction leaves nothing to code.
        if (skipCandidate(job, mbX, mbY, skipX, skipY, qp, src, srcOff)) {
            if (skipLumaPredicted) {
                predictChroma(job, mbX, mbY, 0, 0, 16, 16, skipX, skipY);
            } else {
                motionCompensate(job, mbX, mbY, skipX, skipY);
            }
            // The whole residual at the skip vector: none left means P_Skip.
            skipCbp = interResidual(job, mbX, mbY, qp, src, srcOff, skipLumaPredicted);
            if (skipCbp == 0) {
                commitSkip(job, mbX, mbY, qp, skipX, skipY);
                return true;
            }
            // 1b. A residual no larger than noise is coded as it stands, P16x16 with the skip vector,
            // without a search (unless intra would be tried at its SAD, step 3). From there the search
            // came back to the skip vector for 994 of 995 such macroblocks a picture at QP 22 and 714
            // of 727 at QP 26 (the 720p scene).
            int skipSadSum = skipLumaPredicted ? skipSadTotal() : Integer.MAX_VALUE;
            if (skipSadSum <= SKIP_VECTOR_NOISE_SAD && !triesMoreThan16x16(job, mbX, mbY, qp, skipSadSum)) {
                codeResidual(job, out, mbX, mbY, qp, skipRun, SHAPE_16X16, skipX, skipY, mvpX, mvpY, skipCbp,
                        srcOff);
                return false;
            }
        }

        // 2. Motion search from the predictors.
        int n = 0;
        startX[n] = mvpX; startY[n++] = mvpY;
        startX[n] = skipX; startY[n++] = skipY;
        startX[n] = 0; startY[n++] = 0;
        if (refA == 0) { startX[n] = mvAx; startY[n++] = mvAy; }
        if (refB == 0) { startX[n] = mvBx; startY[n++] = mvBy; }
        if (refC == 0) { startX[n] = mvCx; startY[n++] = mvCy; }
        if (info.hasPrevious) {
            // The last P picture's vectors here, to the right and below: where a moving object came from.
            int mb = mbY * mbWidth + mbX;
            startX[n] = info.previousMvx[mb]; startY[n++] = info.previousMvy[mb];
            if (mbX + 1 < mbWidth) { startX[n] = info.previousMvx[mb + 1]; startY[n++] = info.previousMvy[mb + 1]; }
            if (mbY + 1 < info.mbHeight) {
                startX[n] = info.previousMvx[mb + mbWidth]; startY[n++] = info.previousMvy[mb + mbWidth];
            }
        }
        motion.search(src, lumaStride, mbX * 16, mbY * 16, window, mvpX, mvpY, startX, startY, n, lambda,
                job.subPel);
        int mvx = motion.bestX;
        int mvy = motion.bestY;
        int wholeX = motion.wholeX;
        int wholeY = motion.wholeY;

        // 3. Intra where inter predicts poorly and DC prediction alone comes within twice its SAD; then
        // both by SATD.
        int intraCost = Integer.MAX_VALUE;
        int interCost = 0;
        if (intraWorthTrying(job, mbX, mbY, qp, motion.bestSad)) {
            interCost = motion.satdOfBest(src, lumaStride, mbX * 16, mbY * 16, window)
                    + lambda * (MotionSearch.mvdBits(mvx - mvpX) + MotionSearch.mvdBits(mvy - mvpY));
            intraCost = bestIntraMode(job, mbX, mbY) + lambda * 6;
        }
        if (intraCost < interCost) {
            codeBestIntra(job, out, mbX, mbY, qp, intraCost, skipRun);
            return false;
        }

        // 4. Partitions (16x8, 8x16, and from preset faster on 8x8) where one vector leaves much behind.
        int shape = SHAPE_16X16;
        if (partitionsWorthTrying(job, qp, motion.bestSad)) {
            int best = motion.bestCost;
            for (int trial = SHAPE_16X8; trial <= (job.partitions8x8 ? SHAPE_8X8 : SHAPE_8X16); trial++) {
                int cost = trialPartitions(job, mbX, mbY, trial, mvx, mvy, lambda, src);
                if (cost < best) {
                    best = cost;
                    shape = trial;
                }
            }
        }

        // 5. P16x16 (or P_Skip after all, when it lands on the skip vector with nothing to code), or
        // the two partitions.
        if (shape == SHAPE_16X16) {
            // The search's sub-pel window gives the exact luma prediction (partition trials may have
            // moved it; then it is laid again around the 16x16 vector).
            if (((mvx | mvy) & 3) != 0) {
                window.around(mbX * 16 + wholeX, mbY * 16 + wholeY);
            }
            window.predict(mbX * 64 + mvx, mbY * 64 + mvy, predY, 16, 16);
            predictChroma(job, mbX, mbY, 0, 0, 16, 16, mvx, mvy);
        } else {
            int k = shape - 1;
            int pw = partWidth(shape);
            int ph = partHeight(shape);
            for (int part = 0; part < PARTS[shape]; part++) {
                int px = partX(shape, part);
                int py = partY(shape, part);
                motionCompensate(job, mbX, mbY, px, py, pw, ph, partMvx[k][part], partMvy[k][part]);
                setMotion((mbX << 2) + (px >> 2), (mbY << 2) + (py >> 2), pw >> 2, ph >> 2, partMvx[k][part],
                        partMvy[k][part]);
            }
        }
        if (shape == SHAPE_16X16 && skipCbp > 0 && mvx == skipX && mvy == skipY) {
            // Back at the skip vector: its residual from step 1 is still in place.
            codeResidual(job, out, mbX, mbY, qp, skipRun, SHAPE_16X16, mvx, mvy, mvpX, mvpY, skipCbp, srcOff);
            return false;
        }
        return codeInter(job, out, mbX, mbY, qp, skipRun, shape, mvx, mvy, mvpX, mvpY, skipX, skipY, src, srcOff);
    }

    /**
     * Codes an inter macroblock whose prediction is in {@link #predY}/{@link #predC} (and, for
     * partitions, whose vectors are set): its residual, then P_Skip after all when it lands on the
     * skip vector with nothing to code, else P16x16 with {@code (mvx, mvy)} against the predicted
     * {@code (mvpX, mvpY)}, or the partitions of {@code shape}. Returns whether it was skipped.
     */
    private boolean codeInter(Job job, BitWriter out, int mbX, int mbY, int qp, int skipRun, int shape, int mvx,
            int mvy, int mvpX, int mvpY, int skipX, int skipY, byte[] src, int srcOff) {
        int cbp = interResidual(job, mbX, mbY, qp, src, srcOff, false);
        if (shape == SHAPE_16X16 && cbp == 0 && mvx == skipX && mvy == skipY) {
            commitSkip(job, mbX, mbY, qp, skipX, skipY);
            return true;
        }
        codeResidual(job, out, mbX, mbY, qp, skipRun, shape, mvx, mvy, mvpX, mvpY, cbp, srcOff);
        return false;
    }

    /**
     * Writes and reconstructs an inter macroblock whose residual {@link #interResidual} has formed,
     * with coded block pattern {@code cbp}: its type, vectors (see {@link #codeInter}) and residual.
     */
    private void codeResidual(Job job, BitWriter out, int mbX, int mbY, int qp, int skipRun, int shape, int mvx,
            int mvy, int mvpX, int mvpY, int cbp, int srcOff) {
        interCoded++;
        skipRunBefore(skipRun);
        // mb_type P_L0_16x16, P_L0_L0_16x8, P_L0_L0_8x16 or P_8x8; one reference, so no ref_idx.
        writeUE(out, shape);
        if (shape == SHAPE_8X8) {
            for (int part = 0; part < 4; part++) {
                writeUE(out, 0); // sub_mb_type P_L0_8x8
            }
        }
        if (shape == SHAPE_16X16) {
            writeSE(out, mvx - mvpX);
            writeSE(out, mvy - mvpY);
        } else {
            int k = shape - 1;
            for (int part = 0; part < PARTS[shape]; part++) {
                writeSE(out, partMvx[k][part] - partMvpX[k][part]);
                writeSE(out, partMvy[k][part] - partMvpY[k][part]);
            }
        }
        writeUE(out, H264Const.CODED_BLOCK_PATTERN_INTER_COLOR_INV[cbp]);
        if (cbp != 0) {
            qpDelta(qp, mbX);
        }
        int qpCoded = qpPrev;
        boolean left = mbX > 0;
        boolean top = mbY > 0;
        writeLuma(out, mbX, mbY, left, top, cbp & 15, false);
        writeChroma(out, mbX, mbY, left, top);

        byte[] rec = job.recon.getPlaneData(0);
        for (int blk = 0; blk < 16; blk++) {
            int bx = blk & 3;
            int by = blk >> 2;
            int dst = srcOff + by * 4 * lumaStride + bx * 4;
            if (lumaNonZero[blk] != 0) {
                System.arraycopy(lumaCoef[blk], 0, block, 0, 16);
                Quant.reconstruct4x4(block, qp, false, 0);
                addBlock(rec, dst, lumaStride, predY, by * 64 + bx * 4, 16, block);
            } else {
                copyBlock(rec, dst, lumaStride, predY, by * 64 + bx * 4, 16, 4);
            }
        }
        if (cbpChroma != 0) {
            reconstructChroma(job, mbX, mbY, Quant.chromaQp(qp));
        } else {
            copyChromaPrediction(job, mbX, mbY); // every level zero: the decoder adds nothing
        }
        commit(mbX, mbY, MacroblockInfo.P16X16, qpCoded, shape == SHAPE_16X16 ? mvx : PARTITIONED, mvy, null);
    }

    private boolean skipCandidate(Job job, int mbX, int mbY, int skipX, int skipY, int qp, byte[] src,
            int srcOff) {
        int x = mbX * 16 + (skipX >> 2);
        int y = mbY * 16 + (skipY >> 2);
        SubPelWindow ref = window;
        boolean fractional = ((skipX | skipY) & 3) != 0;
        skipLumaPredicted = false;
        if (!ref.reaches(x, y) || (fractional && !job.subPel)) {
            return true; // far outside the picture, or no sub-pel search: let the exact test decide
        }
        if (fractional) {
            ref.around(x, y);
        }
        // Most macroblocks that are not skipped fail here, eight samples at a time (Sad), before any
        // prediction is formed; the 4x4 SADs come out of the same pass. Where 64 steps are less than
        // the noise bound (QP 23 and below), at that bound: noise is then coded at the skip vector
        // (step 1b) rather than searched.
        int limit = Math.max(64 * qstep(qp), SKIP_VECTOR_NOISE_SAD + 1);
        if (ref.blockSads(mbX * 64 + skipX, mbY * 64 + skipY, src, srcOff, lumaStride, limit, skipSad) >= limit) {
            return false;
        }
        ref.predict(mbX * 64 + skipX, mbY * 64 + skipY, predY, 16, 16);
        skipLumaPredicted = true;
        return true;
    }

    /** The 4x4 SADs (raster order) of the prediction in predY, for {@link #interResidual}. */
    private final int[] predictionSad = new int[16];

    /** The 4x4 SADs (raster order) of the skip prediction, valid when {@link #skipLumaPredicted}. */
    private final int[] skipSad = new int[16];

    private int skipSadTotal() {
        int sum = 0;
        for (int blk = 0; blk < 16; blk++) {
            sum += skipSad[blk];
        }
        return sum;
    }

    /** Whether the last {@link #skipCandidate} left the skip vector's exact luma prediction in predY. */
    private boolean skipLumaPredicted;

    private void commitSkip(Job job, int mbX, int mbY, int qp, int skipX, int skipY) {
        byte[] rec = job.recon.getPlaneData(0);
        int off = mbY * 16 * lumaStride + mbX * 16;
        copyBlock(rec, off, lumaStride, predY, 0, 16, 16);
        copyChromaPrediction(job, mbX, mbY);
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                residuals.lumaZero((mbX << 2) + bx, by);
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int by = 0; by < 2; by++) {
                for (int bx = 0; bx < 2; bx++) {
                    residuals.chromaZero(c, (mbX << 1) + bx, by);
                }
            }
        }
        for (int blk = 0; blk < 16; blk++) {
            clearLuma(blk);
        }
        commit(mbX, mbY, MacroblockInfo.P_SKIP, qpPrev, skipX, skipY, null);
    }

    /**
     * The largest SAD of a skip prediction that is coded without a motion search when its residual
     * does not vanish: 2 a sample, about what light sensor noise leaves. At 3 a sample the real clips
     * lost: cars 4.8% more bytes and 0.08 dB at QP 22, 3.6% and 0.03 dB at QP 26, where the search
     * finds the moving cars better vectors; at 2, 1.2% and 0.02 dB, 0.6% and 0.01 dB.
     */
    private static final int SKIP_VECTOR_NOISE_SAD = 2 * 256;

    /** Reconstructs the macroblock's chroma as its prediction, {@link #predC}. */
    private void copyChromaPrediction(Job job, int mbX, int mbY) {
        for (int c = 0; c < 2; c++) {
            copyBlock(job.recon.getPlaneData(c + 1), mbY * 8 * chromaStride + mbX * 8, chromaStride, predC[c], 0, 8,
                    8);
        }
    }

    /** Partitions are tried where the 16x16 vector leaves a SAD above this many quantizer steps. */
    private static final int PARTITION_SAD_PER_QSTEP = 48;
    /** ... and at least this SAD (4 a sample): below it, fine quantizers code what is left cheaply. */
    private static final int PARTITION_SAD_MIN = 1024;

    /** Per shape (16x8, 8x16, 8x8) and partition: the vectors of the last trial and their predictions. */
    private final int[][] partMvx = new int[3][4];
    private final int[][] partMvy = new int[3][4];
    private final int[][] partMvpX = new int[3][4];
    private final int[][] partMvpY = new int[3][4];
    /** Bits of each shape's mb_type (and sub_mb_types) beyond P_L0_16x16's one. */
    private static final int[] SHAPE_EXTRA_BITS = {0, 2, 2, 8};

    /**
     * Searches the partitions of {@code shape} in decoding order (each predicted from those before it,
     * as the decoder will) and returns their summed cost, SAD plus lambda times the vector bits and
     * the longer macroblock type. The vectors stay in partMv, their predictions in partMvp.
     */
    private int trialPartitions(Job job, int mbX, int mbY, int shape, int mvx16, int mvy16, int lambda,
            byte[] src) {
        int k = shape - 1;
        int cost = lambda * SHAPE_EXTRA_BITS[shape];
        int pw = partWidth(shape);
        int ph = partHeight(shape);
        for (int part = 0; part < PARTS[shape]; part++) {
            int px = partX(shape, part);
            int py = partY(shape, part);
            int x4 = (mbX << 2) + (px >> 2);
            int y4 = (mbY << 2) + (py >> 2);
            predictMotion(job, mbX, mbY, x4, y4, pw >> 2, shape, part);
            int n = 0;
            startX[n] = predMvx; startY[n++] = predMvy;
            startX[n] = mvx16; startY[n++] = mvy16;
            if (refA == 0) { startX[n] = mvAx; startY[n++] = mvAy; }
            if (refB == 0) { startX[n] = mvBx; startY[n++] = mvBy; }
            if (refC == 0) { startX[n] = mvCx; startY[n++] = mvCy; }
            motion.search(src, lumaStride, mbX * 16 + px, mbY * 16 + py, pw, ph, mbX * 16, mbY * 16, window, predMvx,
                    predMvy, startX, startY, n, lambda, job.subPel);
            partMvx[k][part] = motion.bestX;
            partMvy[k][part] = motion.bestY;
            partMvpX[k][part] = predMvx;
            partMvpY[k][part] = predMvy;
            cost += motion.bestCost;
            // The partitions after this one predict from its vector.
            setMotion(x4, y4, pw >> 2, ph >> 2, motion.bestX, motion.bestY);
        }
        return cost;
    }

    /**
     * Luma and chroma prediction of one partition (at (px, py) in the macroblock, pw x ph) for a
     * quarter-pel vector: luma through JCodec's interpolator, chroma through {@link ChromaPredict}.
     */
    private void motionCompensate(Job job, int mbX, int mbY, int px, int py, int pw, int ph, int mvx, int mvy) {
        interpolator.getBlockLuma(job.reference, mcLuma, py * 16 + px, ((mbX * 16 + px) << 2) + mvx,
                ((mbY * 16 + py) << 2) + mvy, pw, ph);
        byte[] l = mcLuma.getPlaneData(0);
        for (int j = 0; j < ph; j++) {
            System.arraycopy(l, (py + j) * 16 + px, predY, (py + j) * 16 + px, pw);
        }
        predictChroma(job, mbX, mbY, px, py, pw, ph, mvx, mvy);
    }

    /** Chroma prediction of one partition (at (px, py) in the macroblock, pw x ph) for a quarter-pel vector. */
    private void predictChroma(Job job, int mbX, int mbY, int px, int py, int pw, int ph, int mvx, int mvy) {
        int cx = px >> 1;
        int cy = py >> 1;
        for (int c = 0; c < 2; c++) {
            ChromaPredict.predict(job.reference.getPlaneData(c + 1), chromaStride, info.mbHeight * 8,
                    ((mbX * 8 + cx) << 3) + mvx, ((mbY * 8 + cy) << 3) + mvy, pw >> 1, ph >> 1, predC[c],
                    cy * 8 + cx, 8);
        }
    }

    /** Luma and chroma prediction of the whole macroblock for a quarter-pel vector. */
    private void motionCompensate(Job job, int mbX, int mbY, int mvx, int mvy) {
        motionCompensate(job, mbX, mbY, 0, 0, 16, 16, mvx, mvy);
    }

    /**
     * Transforms and quantizes the inter residual against {@link #predY}/{@link #predC}; returns the
     * CBP. Blocks whose SAD rules every level out are not transformed: with {@code skipSads}
     * ({@link #skipSad} holds the 4x4 SADs of predY) by those SADs, else by SADs taken here.
     */
    private int interResidual(Job job, int mbX, int mbY, int qp, byte[] src, int srcOff, boolean skipSads) {
        int total = 0;
        cbpLuma = 0;
        int zeroSad = Quant.zeroSad4x4(qp, false);
        int[] sads = skipSads ? skipSad : predictionSad;
        if (!skipSads) {
            Sad.blockSads16x16(src, srcOff, lumaStride, predY, 0, null, 0, 16, Integer.MAX_VALUE, predictionSad);
        }
        for (int b8 = 0; b8 < 4; b8++) {
            int score = 0;
            for (int k = 0; k < 4; k++) {
                int bx = ((b8 & 1) << 1) + (k & 1);
                int by = ((b8 >> 1) << 1) + (k >> 1);
                int blk = by * 4 + bx;
                int[] coef = lumaCoef[blk];
                if (sads[blk] <= zeroSad) {
                    clearLuma(blk);
                    continue;
                }
                Quant.forward4x4(src, srcOff + by * 4 * lumaStride + bx * 4, lumaStride, predY, by * 64 + bx * 4, 16,
                        coef);
                lumaNonZero[blk] = Quant.quantize4x4(coef, qp, false, 0);
                if (lumaNonZero[blk] != 0) {
                    score += Quant.decimateScore(coef, 0, ZIGZAG);
                }
            }
            if (score < KEEP_8X8_SCORE) {
                clear8x8(b8);
            } else {
                total += score;
            }
        }
        if (total < KEEP_MACROBLOCK_SCORE) {
            for (int b8 = 0; b8 < 4; b8++) {
                clear8x8(b8);
            }
        }
        for (int b8 = 0; b8 < 4; b8++) {
            int bx = (b8 & 1) << 1;
            int by = (b8 >> 1) << 1;
            if ((lumaNonZero[by * 4 + bx] | lumaNonZero[by * 4 + bx + 1] | lumaNonZero[by * 4 + bx + 4]
                    | lumaNonZero[by * 4 + bx + 5]) != 0) {
                cbpLuma |= 1 << b8;
            }
        }
        chromaResidual(job, mbX, mbY, Quant.chromaQp(qp), false);
        return cbpLuma | (cbpChroma << 4);
    }

    /**
     * Decimation of the inter luma residual ({@link Quant#decimateScore}) in {@link #interResidual}:
     * an 8x8 block scoring less than this is zeroed, and so is the whole macroblock when its kept 8x8
     * blocks score less than {@link #KEEP_MACROBLOCK_SCORE}.
     */
    private static final int KEEP_8X8_SCORE = 4;
    private static final int KEEP_MACROBLOCK_SCORE = 6;

    private void clear8x8(int b8) {
        int bx = (b8 & 1) << 1;
        int by = (b8 >> 1) << 1;
        for (int k = 0; k < 4; k++) {
            clearLuma((by + (k >> 1)) * 4 + bx + (k & 1));
        }
    }

    /** Zeroes the levels of luma block {@code blk} (raster order), if any. */
    private void clearLuma(int blk) {
        if (lumaNonZero[blk] != 0) {
            java.util.Arrays.fill(lumaCoef[blk], 0);
            lumaNonZero[blk] = 0;
        }
    }

    /** Zeroes the AC levels of block {@code b} of chroma plane {@code c}, if any. */
    private void clearChroma(int c, int b) {
        if (chromaNonZero[c][b] != 0) {
            java.util.Arrays.fill(chromaCoef[c][b], 0);
            chromaNonZero[c][b] = 0;
        }
    }

    // ---------------------------------------------------------------- chroma

    /** The SADs and residual sums of one chroma plane's 4x4 blocks, for {@link #chromaResidual}. */
    private final int[] chromaSad = new int[4];
    private final int[] chromaSum = new int[4];

    private void chromaResidual(Job job, int mbX, int mbY, int qpc, boolean intra) {
        int off = mbY * 8 * chromaStride + mbX * 8;
        int zeroSad = Quant.zeroSad4x4(qpc, intra);
        boolean anyDc = false;
        boolean anyAc = false;
        for (int c = 0; c < 2; c++) {
            byte[] src = job.source.getPlaneData(c + 1);
            Sad.blocks8x8(src, off, chromaStride, predC[c], chromaSad, chromaSum);
            int score = 0;
            int coded = 0;
            for (int b = 0; b < 4; b++) {
                int bx = b & 1;
                int by = b >> 1;
                int[] coef = chromaCoef[c][b];
                if (chromaSad[b] <= zeroSad) {
                    // No AC level survives; the DC coefficient is the residual's sum.
                    clearChroma(c, b);
                    chromaDc[c][b] = chromaSum[b];
                    continue;
                }
                Quant.forward4x4(src, off + by * 4 * chromaStride + bx * 4, chromaStride, predC[c], by * 32 + bx * 4, 8,
                        coef);
                chromaDc[c][b] = coef[0];
                coef[0] = 0;
                chromaNonZero[c][b] = Quant.quantize4x4(coef, qpc, intra, 1);
                if (chromaNonZero[c][b] > 0) {
                    score += intra ? Quant.KEEP_SCORE : Quant.decimateScore(coef, 1, ZIGZAG);
                    coded |= 1 << b;
                }
            }
            if (coded != 0 && score < 7) {
                // A few lone small chroma levels are not worth their bits (inter only; intra scores 9).
                for (int b = 0; b < 4; b++) {
                    clearChroma(c, b);
                }
                coded = 0;
            }
            anyAc |= coded != 0;
            CoeffTransformer.fvdDC2x2(chromaDc[c]);
            anyDc |= Quant.quantizeChromaDc(chromaDc[c], qpc, intra) > 0;
            System.arraycopy(chromaDc[c], 0, chromaDcLevels[c], 0, 4);
        }
        cbpChroma = anyAc ? 2 : anyDc ? 1 : 0;
    }

    /**
     * Writes the 4x4 luma blocks in coding order, those of 8x8 quadrants whose {@code cbp} bit is set;
     * AC only (15 levels after the separately coded DC) for Intra16x16.
     */
    private void writeLuma(BitWriter out, int mbX, int mbY, boolean left, boolean top, int cbp, boolean acOnly) {
        for (int i = 0; i < 16; i++) {
            int bx = BLK_X[i];
            int by = BLK_Y[i];
            int blkX = (mbX << 2) + bx;
            if ((cbp & (1 << (i >> 2))) != 0) {
                residuals.luma(out, blkX, by, bx > 0 || left, by > 0 || top, lumaCoef[by * 4 + bx], acOnly ? 1 : 0,
                        acOnly ? 15 : 16, ZIGZAG);
            } else {
                residuals.lumaZero(blkX, by);
            }
        }
    }

    private void writeChroma(BitWriter out, int mbX, int mbY, boolean left, boolean top) {
        if (cbpChroma > 0) {
            for (int c = 0; c < 2; c++) {
                residuals.chromaDc(out, chromaDcLevels[c]);
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int b = 0; b < 4; b++) {
                int bx = b & 1;
                int by = b >> 1;
                int blkX = (mbX << 1) + bx;
                if (cbpChroma == 2) {
                    residuals.chromaAc(out, c, blkX, by, bx > 0 || left, by > 0 || top, chromaCoef[c][b], ZIGZAG);
                } else {
                    residuals.chromaZero(c, blkX, by);
                }
            }
        }
    }

    private void reconstructChroma(Job job, int mbX, int mbY, int qpc) {
        int off = mbY * 8 * chromaStride + mbX * 8;
        for (int c = 0; c < 2; c++) {
            byte[] rec = job.recon.getPlaneData(c + 1);
            int[] dc = chromaDc[c];
            System.arraycopy(chromaDcLevels[c], 0, dc, 0, 4);
            Quant.reconstructChromaDc(dc, qpc);
            for (int b = 0; b < 4; b++) {
                int bx = b & 1;
                int by = b >> 1;
                System.arraycopy(chromaCoef[c][b], 0, block, 0, 16);
                Quant.reconstruct4x4(block, qpc, true, dc[b]);
                addBlock(rec, off + by * 4 * chromaStride + bx * 4, chromaStride, predC[c], by * 32 + bx * 4, 8, block);
            }
        }
    }

    /**
     * Adaptive quantization: the QP of macroblock (mbX, mbY) in a row coded at {@code qp}, moved by
     * the job's strength times (log2 of the energy of its 384 source samples - {@link #AQ_MIDDLE}),
     * rounded, within the job's QP range. The energy is the sum of squared differences from the mean,
     * luma and each chroma plane about its own: flat macroblocks get finer QPs, busy ones coarser.
     * From the source alone, so the same on any number of threads.
     */
    private int adaptiveQp(Job job, int qp, int mbX, int mbY) {
        long energy = 0;
        for (int c = 0; c < 3; c++) {
            byte[] p = job.source.getPlaneData(c);
            int n = c == 0 ? 16 : 8;
            int stride = c == 0 ? lumaStride : chromaStride;
            int off = mbY * n * stride + mbX * n;
            int sum = 0;
            int squares = 0; // at most 256 * 128^2 = 2^22
            for (int j = 0; j < n; j++) {
                int o = off + j * stride;
                for (int i = 0; i < n; i++) {
                    int v = p[o + i];
                    sum += v;
                    squares += v * v;
                }
            }
            energy += squares - (long) sum * sum / (n * n);
        }
        double log2 = Math.log(Math.max(energy, 1)) * INV_LN2;
        int aqQp = qp + (int) Math.round(job.aqStrength * (log2 - AQ_MIDDLE));
        return Math.max(job.qpMin, Math.min(job.qpMax, aqQp));
    }

    /**
     * The log2 energy that keeps the picture's QP: about 57 a sample (a standard deviation of 7.6),
     * the value x264's variance AQ centres on.
     */
    private static final double AQ_MIDDLE = 14.43;
    private static final double INV_LN2 = 1 / Math.log(2);

    // ---------------------------------------------------------------- I_PCM

    /**
     * The most bits a macroblock_layer() may take in Baseline, Constrained Baseline, Main and Extended
     * streams at every level (H.264 A.3.1 item n; 128 + RawMbBits, the same 3200 at 8-bit 4:2:0, in
     * the High profiles, A.3.2 item j). A macroblock coded larger is sent as its samples instead
     * (I_PCM: a 9-bit mb_type and 3072 bits of samples, up to 7 alignment bits between them).
     */
    static final int MAX_MACROBLOCK_BITS = 3200;
    /**
     * Room kept for a row's first mb_qp_delta, written when the slice is put together (see RowBits):
     * se(v) of a difference within +-51 takes at most 13 bits.
     */
    private static final int FIRST_QP_DELTA_BITS = 13;
    /** I_PCM macroblocks coded by this worker: counted for tests. */
    long pcmMacroblocks;
    /** The most bits a macroblock_layer() this worker kept took, its alignment and a row's first mb_qp_delta left out. */
    int largestMacroblock;

    /**
     * Codes again as I_PCM the macroblock just coded, which took too many bits: its samples as they
     * are, which are then its reconstruction. {@code qpBefore} is the running QP from before it: an
     * I_PCM macroblock carries no mb_qp_delta (the deblocking filter takes its QP as 0:
     * {@link MacroblockInfo#deblockingQp}). Returns the row's writer to go on with.
     */
    private BitWriter codePcm(Job job, int mbX, int mbY, int qpBefore) {
        pcmMacroblocks++;
        BitWriter out = row.dropMacroblock();
        writeUE(out, job.idr ? 25 : 30); // I_PCM: mb_type 25 in an I slice, 5 + 25 in a P slice
        row.pcmAlignment();
        for (int c = 0; c < 3; c++) {
            int n = c == 0 ? 16 : 8;
            int stride = c == 0 ? lumaStride : chromaStride;
            sendSamples(out, job.source.getPlaneData(c), job.recon.getPlaneData(c), mbY * n * stride + mbX * n, stride, n);
        }
        // No mb_qp_delta: its QP_Y is the one before it, as a skipped macroblock's.
        qpPrev = qpBefore;
        // Neighbours count an I_PCM macroblock's blocks as 16 coefficients each (nC, 9.2.1).
        residuals.pcm(mbX);
        java.util.Arrays.fill(lumaNonZero, 16);
        commit(mbX, mbY, MacroblockInfo.I_PCM, qpPrev, 0, 0, null);
        return out;
    }

    /** Writes the n x n samples of a plane at {@code off} as pcm_sample_luma/chroma and copies them into the reconstruction. */
    private static void sendSamples(BitWriter out, byte[] src, byte[] rec, int off, int stride, int n) {
        for (int j = 0; j < n; j++) {
            int o = off + j * stride;
            for (int i = 0; i < n; i++) {
                out.writeNBit(src[o + i] + 128, 8);
            }
            System.arraycopy(src, o, rec, o, n);
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean leftAvailable(int mbX, int mbY, Job job) {
        return mbX > 0;
    }

    private boolean topAvailable(int mbX, int mbY, Job job) {
        return mbY > 0;
    }

    /**
     * Records what neighbours and the deblocking filter need of a coded macroblock: type, QP as the
     * decoder has it, vector, non-zero counts, Intra4x4 modes ({@code null}: DC, not coded Intra4x4).
     */
    private void commit(int mbX, int mbY, byte type, int qp, int mvx, int mvy, int[] intra4x4Modes) {
        int mb = mbY * mbWidth + mbX;
        info.type[mb] = type;
        info.qp[mb] = qp;
        if (type != MacroblockInfo.P16X16 || mvx != PARTITIONED) {
            setMotion(mbX << 2, mbY << 2, 4, 4, mvx, mvy);
        }
        storeNonZero(mbX, mbY);
        storeIntra4x4Modes(mbX, mbY, intra4x4Modes);
    }

    /** Records the Intra4x4 modes neighbours predict from: DC for macroblocks coded otherwise. */
    private void storeIntra4x4Modes(int mbX, int mbY, int[] modes) {
        int w4 = mbWidth * 4;
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                info.intra4x4Mode[((mbY << 2) + by) * w4 + (mbX << 2) + bx] = modes == null ? Intra4x4Predict.DC
                        : modes[by * 4 + bx];
            }
        }
    }

    private void storeNonZero(int mbX, int mbY) {
        int w4 = mbWidth * 4;
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                info.nonZero[((mbY << 2) + by) * w4 + (mbX << 2) + bx] = lumaNonZero[by * 4 + bx];
            }
        }
    }

    private static void addBlock(byte[] dst, int off, int stride, byte[] pred, int pOff, int pStride, int[] res) {
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 4; i++) {
                int v = pred[pOff + j * pStride + i] + res[j * 4 + i];
                dst[off + j * stride + i] = (byte) (v < -128 ? -128 : Math.min(v, 127));
            }
        }
    }

    private static void copyBlock(byte[] dst, int off, int stride, byte[] pred, int pOff, int pStride, int n) {
        for (int j = 0; j < n; j++) {
            System.arraycopy(pred, pOff + j * pStride, dst, off + j * stride, n);
        }
    }

    private static int median(int a, int b, int c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Lambda for SATD-domain costs, about 0.85 * 2^((qp - 12) / 6). */
    static int lambda(int qp) {
        return LAMBDA[qp];
    }

    /** The quantizer step size by QP, roughly; the unit of the SAD thresholds. */
    private static int qstep(int qp) {
        return QSTEP[qp];
    }

    private static final int[] LAMBDA = new int[52];
    private static final int[] QSTEP = new int[52];

    static {
        for (int qp = 0; qp < 52; qp++) {
            LAMBDA[qp] = Math.max(1, (int) Math.round(0.85 * Math.pow(2, (qp - 12) / 6.0)));
            QSTEP[qp] = Math.max(1, (int) (0.625 * Math.pow(2, qp / 6.0)));
        }
    }
}
