package io.vencflow.core.codec.avc;

import io.vencflow.core.codec.AbstractVideoEncoder;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * The {@code java} backend: our own pure-Java H.264 encoder (Constrained Baseline, CAVLC,
 * progressive 4:2:0) built on JCodec's public building blocks (parameter-set models, CAVLC residual
 * writer, transforms, interpolation, deblocking filter) with our own analysis, quantization,
 * motion search and rate control. Its reconstruction equals the decoder's bit for bit.
 *
 * <p>Threads ({@code threads}, 0 = one per core): one slice (a band of macroblock rows) a thread,
 * the bands rebalanced after each picture by the work its macroblocks counted; each slice loads its
 * own band of the source, and the deblocking filter (as a wavefront over rows, padding the reference
 * as rows become final) runs on the same threads. Not thread-safe (one caller at a time), like every
 * encoder.
 */
public final class AvcEncoder extends AbstractVideoEncoder {
    private final int mbWidth;
    private final int mbHeight;
    private final ParameterSets sets;
    private final MacroblockInfo info;
    private final Deblock jcodecDeblock;
    private final LoopFilter loopFilter;
    private final RateControl rateControl;
    private final SliceEncoder[] sliceEncoders;
    private final SliceEncoder.Job[] jobs;
    /** The slice bands of the picture being coded: {@link #pBands} or {@link #idrBands}. */
    private int[] sliceFirstRow;
    /**
     * Bands of P pictures and of IDR pictures, each balanced by the work of the last picture of its
     * kind (see MacroblockInfo.balanceSlices): the two kinds spread their work differently.
     */
    private final int[] pBands;
    private final int[] idrBands;
    private final SliceHeader[] mbHeaders;
    private final ExecutorService pool;
    private final int workers;
    private final java.util.concurrent.atomic.AtomicInteger nextTask = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Macroblocks deblocked in each row, at {@code row * PROGRESS_STRIDE}: one cache line a row, so
     * that a worker publishing its row does not disturb the line another worker polls.
     */
    private final java.util.concurrent.atomic.AtomicIntegerArray rowProgress;
    private static final int PROGRESS_STRIDE = 16;
    /**
     * The reference's luma with its edges repeated, for the motion search, and the one the picture
     * being coded fills as its rows are deblocked (it becomes the next reference): two, because the
     * deblocking of the first slice runs while the others still search the reference.
     */
    private PaddedLuma paddedReference;
    private PaddedLuma paddedNext;
    /** Whether each slice of the picture is coded (release/acquire), for the deblocking that follows it. */
    private final java.util.concurrent.atomic.AtomicIntegerArray sliceDone;
    /** The reference's half-sample planes, computed lazily by the slices' motion searches. */
    private final HalfPlanes halfPlanes;
    private final ThreadLocal<int[]> loopFilterScratch = ThreadLocal.withInitial(() -> new int[32]);
    private final byte[] i420;
    private final boolean deblocking;
    private final boolean subPel;
    private final boolean partitions;
    private final boolean partitions8x8;
    private Picture source;
    private Picture recon;
    private Picture reference;
    private int frameNum;
    private int idrPicId;

    public AvcEncoder(EncoderConfig config) {
        this(config, false);
    }

    /**
     * @param jcodecDeblocking filter with JCodec's {@code DeblockingFilter} instead of our own (the two
     *     give the same samples; ours is faster): for comparison and tests
     */
    AvcEncoder(EncoderConfig config, boolean jcodecDeblocking) {
        super(config);
        if (config.codec() != Codec.H264) {
            throw new IllegalArgumentException("the java backend encodes H.264 only; " + config.codec()
                    + " needs the ffmpeg backend");
        }
        if (config.profile() != Profile.BASELINE) {
            throw new IllegalArgumentException("the java backend encodes H.264 Constrained Baseline only; profile "
                    + config.profile().id() + " needs the ffmpeg backend");
        }
        this.mbWidth = (config.width() + 15) / 16;
        this.mbHeight = (config.height() + 15) / 16;
        this.sets = new ParameterSets(config, mbWidth, mbHeight);
        this.info = new MacroblockInfo(mbWidth, mbHeight);
        this.jcodecDeblock = jcodecDeblocking ? new Deblock(sets.sps(), info) : null;
        this.loopFilter = new LoopFilter(info);
        this.rateControl = new RateControl(config);
        int threads = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
        // One slice a thread; the bands follow the work of the last picture (see balanceSlices).
        int slices = Math.max(1, Math.min(threads, mbHeight));
        this.workers = Math.min(threads, slices);
        this.idrBands = info.layOutSlices(slices);
        this.pBands = idrBands.clone();
        this.sliceFirstRow = idrBands;
        this.sliceEncoders = new SliceEncoder[slices];
        this.jobs = new SliceEncoder.Job[slices];
        // Worst case of a slice: its raw samples and then some (I_PCM would be 384 bytes a macroblock).
        int rowsMax = mbHeight; // bands move with the content
        for (int s = 0; s < slices; s++) {
            sliceEncoders[s] = new SliceEncoder(sets, info, rowsMax * mbWidth * 800 + 1024);
            jobs[s] = new SliceEncoder.Job();
        }
        this.mbHeaders = new SliceHeader[mbWidth * mbHeight];
        this.rowProgress = new java.util.concurrent.atomic.AtomicIntegerArray(mbHeight * PROGRESS_STRIDE);
        this.pool = workers > 1 ? Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "vencflow-avc-slice");
            t.setDaemon(true);
            return t;
        }) : null;
        this.i420 = new byte[ColorConversion.i420Size(config.width(), config.height())];
        this.source = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.recon = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.reference = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.paddedReference = new PaddedLuma(mbWidth * 16, mbHeight * 16);
        this.paddedNext = new PaddedLuma(mbWidth * 16, mbHeight * 16);
        this.halfPlanes = new HalfPlanes(paddedReference.stride, paddedReference.rows);
        this.sliceDone = new java.util.concurrent.atomic.AtomicIntegerArray(slices);
        this.deblocking = true;
        this.subPel = config.preset() != Preset.ULTRAFAST;
        this.partitions = config.preset().ordinal() >= Preset.VERYFAST.ordinal();
        this.partitions8x8 = config.preset().ordinal() >= Preset.FASTER.ordinal();
    }

    @Override
    public Backend backend() {
        return Backend.JAVA;
    }

    @Override
    public void setBitrate(long bitrateBps) {
        checkOpen();
        rateControl.setBitrate(bitrateBps);
    }

    /**
     * The decoder's picture for the last encoded frame (after deblocking), as I420 bytes of the
     * configured size: what every conforming decoder must output for it.
     */
    public byte[] reconstruction() {
        checkOpen();
        byte[] out = new byte[i420.length];
        int w = config.width();
        int h = config.height();
        copyOut(reference.getPlaneData(0), mbWidth * 16, w, h, out, 0);
        copyOut(reference.getPlaneData(1), mbWidth * 8, w / 2, h / 2, out, w * h);
        copyOut(reference.getPlaneData(2), mbWidth * 8, w / 2, h / 2, out, w * h + (w / 2) * (h / 2));
        return out;
    }

    @Override
    protected List<Pack> encodePicture(Frame frame, boolean idr) {
        sliceFirstRow = idr ? idrBands : pBands;
        info.layOutSlices(sliceFirstRow);
        prepareSource(frame);
        if (idr) {
            frameNum = 0;
        }
        int qp = rateControl.pictureQp(idr);
        double target = rateControl.targetBits(idr);
        halfPlanes.newReference();
        prepareJobs(idr, qp, target);
        long bits = encodeSlices();
        if (rateControl.wouldUnderflow(bits)) {
            // The buffer model says this picture would not arrive in time: code it again coarser.
            qp = Math.min(config.qpMax(), qp + 6);
            prepareJobs(idr, qp, target / 2);
            bits = encodeSlices();
        }
        long qpSum = 0;
        for (SliceEncoder.Job job : jobs) {
            qpSum += job.qpSum;
        }
        int averageQp = (int) Math.round(qpSum / (double) (mbWidth * mbHeight));
        if (!idr) {
            info.keepMotion();
        }
        rateControl.pictureDone(idr, averageQp, bits);
        if (!deblocksWithSlices()) {
            if (deblocking) {
                jcodecDeblock.filter(recon, mbHeaders);
            }
            byte[] luma = recon.getPlaneData(0);
            PaddedLuma next = paddedNext;
            runParallel(mbHeight, row -> next.fillRow(luma, row));
        }
        Picture t = reference;
        reference = recon;
        recon = t;
        PaddedLuma p = paddedReference;
        paddedReference = paddedNext;
        paddedNext = p;

        List<Pack> packs = new ArrayList<>(jobs.length + 2);
        if (idr) {
            packs.add(Pack.of(Codec.H264, sets.spsNal()));
            packs.add(Pack.of(Codec.H264, sets.ppsNal()));
            idrPicId = (idrPicId + 1) & 0xffff;
        }
        for (SliceEncoder.Job job : jobs) {
            packs.add(Pack.of(Codec.H264, job.nal));
        }
        frameNum = (frameNum + 1) % (1 << ParameterSets.LOG2_MAX_FRAME_NUM);
        if (jobs.length > 1) {
            info.balanceSlices(sliceFirstRow); // this picture's kind's bands, for the next of its kind
        }
        return packs;
    }

    private void prepareJobs(boolean idr, int qp, double target) {
        for (int s = 0; s < jobs.length; s++) {
            SliceEncoder.Job job = jobs[s];
            job.slice = s;
            job.firstRow = sliceFirstRow[s];
            job.endRow = sliceFirstRow[s + 1];
            job.header = sets.sliceHeader(idr, frameNum, idrPicId, qp, deblocking);
            job.idr = idr;
            job.pictureQp = qp;
            job.targetBits = target * (job.endRow - job.firstRow) / mbHeight;
            job.rateControl = rateControl;
            job.source = source;
            job.recon = recon;
            job.reference = reference;
            job.subPel = subPel;
            job.intra4x4 = subPel; // every preset but ultrafast
            job.partitions = partitions;
            job.partitions8x8 = partitions8x8;
            job.paddedReference = paddedReference;
            job.halfPlanes = halfPlanes;
            java.util.Arrays.fill(mbHeaders, job.firstRow * mbWidth, job.endRow * mbWidth, job.header);
        }
    }

    /** Whether our deblocking filter runs in the slices' fork-join, behind each slice (see {@link #encodeSlices}). */
    private boolean deblocksWithSlices() {
        return deblocking && jcodecDeblock == null;
    }

    /**
     * Codes the slices and, with our own filter, deblocks the picture in the same fork-join: the
     * tasks are the slices, then the macroblock rows in order. A row is deblocked once its slice is
     * coded and as a wavefront behind the row above, so a worker done with its slice goes on to the
     * rows whose slices are done rather than wait for the last slice. Each row is padded into
     * {@link #paddedNext} once final. Returns the slices' bits.
     */
    private long encodeSlices() {
        int slices = jobs.length;
        boolean deblock = deblocksWithSlices();
        for (int s = 0; s < slices; s++) {
            sliceDone.set(s, 0);
        }
        for (int r = 0; r < mbHeight; r++) {
            rowProgress.set(r * PROGRESS_STRIDE, 0);
        }
        Picture picture = recon;
        runParallel(slices + (deblock ? mbHeight : 0), task -> {
            if (task < slices) {
                SliceEncoder.Job job = jobs[task];
                if (!job.sourceLoaded) {
                    loadBand(job.firstRow, job.endRow);
                    job.sourceLoaded = true;
                }
                sliceEncoders[task].encode(job);
                sliceDone.setRelease(task, 1);
            } else {
                deblockRow(picture, task - slices);
            }
        });
        long bits = 0;
        for (SliceEncoder.Job job : jobs) {
            bits += job.bits;
        }
        return bits;
    }

    /**
     * Runs tasks {@code 0..tasks-1}, each claimed in order by whichever worker (the calling thread or
     * one of the pool's) is free, and returns when all are done.
     */
    private void runParallel(int tasks, java.util.function.IntConsumer task) {
        if (pool == null || tasks == 1) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        nextTask.set(0);
        Runnable worker = () -> {
            for (int t = nextTask.getAndIncrement(); t < tasks; t = nextTask.getAndIncrement()) {
                task.accept(t);
            }
        };
        List<Future<?>> running = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            running.add(pool.submit(worker));
        }
        worker.run();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding slices", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a slice failed to encode: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Deblocks macroblock row {@code row} once its slice is coded: a macroblock waits until the row
     * above has finished the macroblock above-right of it (whose filtering reaches into the samples
     * this one filters next). A row is final once the row below it is filtered (whose top edges reach
     * three lines into it); that row's worker then copies it into the padded next reference.
     */
    private void deblockRow(Picture picture, int row) {
        int slice = info.slice[row * mbWidth];
        while (sliceDone.getAcquire(slice) == 0) {
            Thread.onSpinWait();
        }
        int[] bs = loopFilterScratch.get();
        for (int mbX = 0; mbX < mbWidth; mbX++) {
            if (row > 0) {
                int needed = Math.min(mbWidth, mbX + 2);
                while (rowProgress.getAcquire((row - 1) * PROGRESS_STRIDE) < needed) {
                    Thread.onSpinWait();
                }
            }
            loopFilter.filterMacroblock(picture, mbX, row, bs);
            rowProgress.setRelease(row * PROGRESS_STRIDE, mbX + 1); // publishes the filtered samples
        }
        byte[] luma = picture.getPlaneData(0);
        if (row > 0) {
            paddedNext.fillRow(luma, row - 1);
        }
        if (row == mbHeight - 1) {
            paddedNext.fillRow(luma, row);
        }
    }

    /** The frame to load, I420 or converted to it in {@link #i420}; each slice loads its own band. */
    private Frame pending;

    /** Converts a frame that is not I420 to I420 first; an I420 frame is read in place by the slices. */
    private void prepareSource(Frame frame) {
        if (frame.format() != PixelFormat.I420) {
            ColorConversion.toI420(frame, i420);
        }
        pending = frame;
        for (SliceEncoder.Job job : jobs) {
            job.sourceLoaded = false;
        }
    }

    /**
     * Loads macroblock rows {@code first} to {@code end - 1} of the pending frame into the MB-aligned
     * source picture, repeating the last column and row.
     */
    private void loadBand(int first, int end) {
        Frame frame = pending;
        boolean i420Frame = frame.format() == PixelFormat.I420;
        int w = config.width();
        int h = config.height();
        int lumaW = mbWidth * 16;
        int chromaW = mbWidth * 8;
        for (int c = 0; c < 3; c++) {
            int shift = c == 0 ? 0 : 1;
            int offset = c == 0 ? 0 : c == 1 ? w * h : w * h + (w / 2) * (h / 2);
            byte[] dst = source.getPlaneData(c);
            int dstW = c == 0 ? lumaW : chromaW;
            if (i420Frame) {
                copyIn(frame, offset, w >> shift, h >> shift, dst, dstW, (first * 16) >> shift, (end * 16) >> shift);
            } else {
                copyIn(i420, offset, w >> shift, h >> shift, dst, dstW, (first * 16) >> shift, (end * 16) >> shift);
            }
        }
    }

    /** As {@link #copyIn(byte[], int, int, int, byte[], int, int, int)}, from an I420 frame's own pixels. */
    private static void copyIn(Frame src, int off, int w, int h, byte[] dst, int dstW, int fromRow, int toRow) {
        for (int y = fromRow; y < toRow; y++) {
            int d = y * dstW;
            src.copyPixels(off + Math.min(y, h - 1) * w, dst, d, w);
            for (int x = 0; x < w; x++) {
                dst[d + x] ^= (byte) 0x80; // (value - 128) in two's complement
            }
            byte last = dst[d + w - 1];
            for (int x = w; x < dstW; x++) {
                dst[d + x] = last;
            }
        }
    }

    private static void copyIn(byte[] src, int off, int w, int h, byte[] dst, int dstW, int fromRow, int toRow) {
        for (int y = fromRow; y < toRow; y++) {
            int sy = Math.min(y, h - 1);
            int s = off + sy * w;
            int d = y * dstW;
            for (int x = 0; x < w; x++) {
                dst[d + x] = (byte) ((src[s + x] & 0xff) - 128);
            }
            byte last = dst[d + w - 1];
            for (int x = w; x < dstW; x++) {
                dst[d + x] = last;
            }
        }
    }

    private static void copyOut(byte[] plane, int stride, int w, int h, byte[] out, int off) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[off + y * w + x] = (byte) (plane[y * stride + x] + 128);
            }
        }
    }

    @Override
    protected void release() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
