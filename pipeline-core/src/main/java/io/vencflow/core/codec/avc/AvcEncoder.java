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
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * The {@code java} backend: our own pure-Java H.264 encoder (Constrained Baseline, CAVLC,
 * progressive 4:2:0) built on JCodec's public building blocks (parameter-set models, CAVLC residual
 * writer, transforms, interpolation, deblocking filter) with our own analysis, quantization,
 * motion search and rate control. Its reconstruction equals the decoder's bit for bit.
 *
 * <p>Threads ({@code threads}, 0 = one per core; see {@link Crew}): one slice a picture, its
 * macroblock rows coded as a wavefront (a row's macroblock once the row above has coded the one
 * above-right of it), each row into bits of its own that are put together in order; so the stream
 * is the same on any number of threads. The worker that codes a row loads its source first. The
 * deblocking follows the rows a few macroblocks at a time, as they become ready ({@link
 * #deblockSome}), padding the next reference as rows become final: done by the worker that has just
 * coded a row, and first by any worker that waits on the row above or has no row left. Such a
 * worker then prefetches half-sample tiles for the rows still to come ({@link HalfPlanes#prefetch}),
 * and then, from this picture's final rows, those the next picture's search will likely read
 * ({@link HalfPlanes#prefetchNext}); the first with no row left also puts the slice together up to
 * the rows still being coded. Not thread-safe (one caller at a time), like every encoder.
 */
public final class AvcEncoder extends AbstractVideoEncoder {
    private final int mbWidth;
    private final int mbHeight;
    private final ParameterSets sets;
    private final MacroblockInfo info;
    private final Deblock jcodecDeblock;
    private final LoopFilter loopFilter;
    private final RateControl rateControl;
    /** One per worker: each owns its scratch and CAVLC row contexts. */
    private final SliceEncoder[] sliceEncoders;
    private final SliceEncoder.Job job = new SliceEncoder.Job();
    /** Each macroblock row's bits, until the slice is put together. */
    private final RowBits[] rows;
    /** The QP before each row, as the decoder runs it (see RowBits). */
    private final int[] qpBefore;
    /** Whether each row of the source picture holds the current frame. */
    private final boolean[] rowLoaded;
    private final SliceHeader[] mbHeaders;
    private final Crew crew;
    private final int workers;
    /**
     * Macroblocks coded and deblocked in each row, at {@code row * PROGRESS_STRIDE}: one cache line a
     * row, so that a worker publishing its row does not disturb the line another worker polls.
     */
    private final java.util.concurrent.atomic.AtomicIntegerArray codedProgress;
    private final java.util.concurrent.atomic.AtomicIntegerArray rowProgress;
    private static final int PROGRESS_STRIDE = 16;
    /**
     * The reference's luma with its edges repeated, for the motion search, and the one the picture
     * being coded fills as its rows are deblocked (it becomes the next reference): two, because the
     * deblocking of the first rows runs while later rows still search the reference.
     */
    private PaddedLuma paddedReference;
    private PaddedLuma paddedNext;
    /**
     * The reference's half-sample planes, computed lazily by the rows' motion searches; and, with
     * several workers, those of the picture being coded, which workers with nothing else to do fill
     * from its final rows ({@link #prefetchTiles}). They swap as the padded lumas do.
     */
    private HalfPlanes halfPlanes;
    private HalfPlanes halfPlanesNext;
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
        this.rateControl = new RateControl(config, sets.declaredHrd(config.fps()));
        int threads = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
        this.workers = Math.max(1, Math.min(threads, mbHeight));
        ResidualWriter.Tops tops = new ResidualWriter.Tops(mbWidth);
        this.sliceEncoders = new SliceEncoder[workers];
        for (int w = 0; w < workers; w++) {
            // Worst case of the slice: its raw samples and then some (I_PCM would be 384 bytes a macroblock).
            sliceEncoders[w] = new SliceEncoder(sets, info, tops, w == 0 ? mbHeight * mbWidth * 800 + 1024 : 0);
        }
        this.rows = new RowBits[mbHeight];
        for (int r = 0; r < mbHeight; r++) {
            rows[r] = new RowBits(mbWidth);
        }
        this.qpBefore = new int[mbHeight];
        this.rowLoaded = new boolean[mbHeight];
        this.mbHeaders = new SliceHeader[mbWidth * mbHeight];
        this.codedProgress = new java.util.concurrent.atomic.AtomicIntegerArray(mbHeight * PROGRESS_STRIDE);
        this.rowProgress = new java.util.concurrent.atomic.AtomicIntegerArray(mbHeight * PROGRESS_STRIDE);
        this.crew = new Crew(workers - 1, "vencflow-avc-rows");
        this.i420 = new byte[ColorConversion.i420Size(config.width(), config.height())];
        this.source = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.recon = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.reference = Picture.create(mbWidth * 16, mbHeight * 16, ColorSpace.YUV420J);
        this.paddedReference = new PaddedLuma(mbWidth * 16, mbHeight * 16);
        this.paddedNext = new PaddedLuma(mbWidth * 16, mbHeight * 16);
        this.halfPlanes = new HalfPlanes(paddedReference.stride, paddedReference.rows);
        this.halfPlanesNext = workers > 1 ? new HalfPlanes(paddedReference.stride, paddedReference.rows) : halfPlanes;
        this.rowFinal = new java.util.concurrent.atomic.AtomicIntegerArray(mbHeight);
        this.deblocking = true;
        this.subPel = config.preset() != Preset.ULTRAFAST;
        this.partitions = config.preset().ordinal() >= Preset.VERYFAST.ordinal();
        this.partitions8x8 = config.preset().ordinal() >= Preset.FASTER.ordinal();
    }

    /**
     * Which kernels this JVM's java encoders run: {@code "vector API"} (SIMD; the JVM was started
     * with {@code --add-modules jdk.incubator.vector} on a CPU with 256-bit vectors) or
     * {@code "packed longs"}. The streams are the same either way.
     */
    public static String kernels() {
        return Simd.ENABLED ? "vector API" : "packed longs";
    }

    @Override
    public Backend backend() {
        return Backend.JAVA;
    }

    @Override
    public void setBitrate(long bitrateBps) {
        checkOpen();
        EncoderConfig.checkBitrate(bitrateBps);
        if (rateControl.hrd() != null) {
            // The SPS declares a CBR stream's rate: it changes with the next IDR's.
            // A rate no level holds is refused now, not at the IDR.
            ParameterSets.levelFor(config, bitrateBps);
            pendingBitrate = bitrateBps;
            return;
        }
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

    /** P pictures coded a second time, coarser, because the buffer model said the first would underflow: for tests. */
    long predictedPicturesCodedAgain() {
        return predictedPicturesCodedAgain;
    }

    private long predictedPicturesCodedAgain;

    /** Macroblocks sent as I_PCM so far, over A.3.1's 3200 bits when coded (see SliceEncoder#codePcm): for tests. */
    long pcmMacroblocks() {
        long n = 0;
        for (SliceEncoder s : sliceEncoders) {
            n += s.pcmMacroblocks;
        }
        return n;
    }

    /** The most bits a coded macroblock_layer() took so far (see SliceEncoder#largestMacroblock): for tests. */
    int largestMacroblockBits() {
        int n = 0;
        for (SliceEncoder s : sliceEncoders) {
            n = Math.max(n, s.largestMacroblock);
        }
        return n;
    }

    /** Macroblocks whose motion was searched so far, and inter macroblocks coded (not skipped): for tests. */
    long[] interDecisions() {
        long searched = 0;
        long coded = 0;
        for (SliceEncoder s : sliceEncoders) {
            searched += s.searched();
            coded += s.interCoded;
        }
        return new long[] {searched, coded};
    }

    @Override
    protected List<Pack> encodePicture(Frame frame, boolean idr) {
        prepareSource(frame);
        if (idr) {
            frameNum = 0;
            if (pendingBitrate != 0) {
                sets.declareBitrate(config, pendingBitrate);
                rateControl.restartHrd(pendingBitrate, sets.declaredHrd(config.fps()));
                pendingBitrate = 0;
            }
        }
        int qp = rateControl.pictureQp(idr);
        double target = rateControl.targetBits(idr);
        halfPlanes.newReference();
        // With HRD parameters (CBR): the timing SEI, whose delays do not depend on the picture's size.
        Hrd hrd = rateControl.hrd();
        byte[] sei = null;
        if (hrd != null) {
            if (idr) {
                hrd.startPeriod();
            }
            sei = sets.timingSei(idr, hrd, 2L * picturesSincePeriod);
        }
        long overheadBits = 8L * ((idr ? nalBytes(sets.spsNal()) + nalBytes(sets.ppsNal()) : 0)
                + (sei != null ? nalBytes(sei) : 0));
        prepareJobs(idr, qp, target);
        long bits = encodeRows();
        while (rateControl.wouldUnderflow(overheadBits + 8L * nalBytes(job.nal)) && qp < config.qpMax()) {
            // The buffer model says this picture would not arrive in time: code it again coarser.
            qp = Math.min(config.qpMax(), qp + 6);
            if (halfPlanesNext != halfPlanes) {
                halfPlanesNext.newReference(); // forgets the tiles computed from the first try's rows
            }
            if (!idr) {
                predictedPicturesCodedAgain++;
            }
            prepareJobs(idr, qp, target / 2);
            bits = encodeRows();
        }
        int averageQp = (int) Math.round(job.qpSum / (double) (mbWidth * mbHeight));
        if (!idr) {
            info.keepMotion();
        }
        long accessUnitBits = overheadBits + 8L * nalBytes(job.nal);
        byte[] filler = null;
        long fillerBits = rateControl.fillerBits(accessUnitBits);
        if (fillerBits > 0) {
            filler = ParameterSets.fillerNal(fillerBits);
            accessUnitBits += 8L * nalBytes(filler);
        }
        rateControl.pictureDone(idr, averageQp, bits, accessUnitBits);
        if (!deblocksWithRows()) {
            if (deblocking) {
                jcodecDeblock.filter(recon, mbHeaders);
            }
            byte[] luma = recon.getPlaneData(0);
            PaddedLuma next = paddedNext;
            runParallel(mbHeight, (worker, row) -> next.fillRow(luma, row));
        }
        Picture t = reference;
        reference = recon;
        recon = t;
        PaddedLuma p = paddedReference;
        paddedReference = paddedNext;
        paddedNext = p;
        HalfPlanes h = halfPlanes;
        halfPlanes = halfPlanesNext;
        halfPlanesNext = h;

        List<Pack> packs = new ArrayList<>(5);
        if (idr) {
            packs.add(Pack.of(Codec.H264, sets.spsNal()));
            packs.add(Pack.of(Codec.H264, sets.ppsNal()));
            idrPicId = (idrPicId + 1) & 0xffff;
            picturesSincePeriod = 0;
        }
        if (sei != null) {
            packs.add(Pack.of(Codec.H264, sei));
        }
        packs.add(Pack.of(Codec.H264, job.nal));
        if (filler != null) {
            packs.add(Pack.of(Codec.H264, filler));
        }
        picturesSincePeriod++;
        frameNum = (frameNum + 1) % (1 << ParameterSets.LOG2_MAX_FRAME_NUM);
        return packs;
    }

    /** A CBR rate set by {@link #setBitrate} for the next IDR's SPS to declare; 0 if none. */
    private long pendingBitrate;

    /** Pictures since the last buffering period's (the last IDR), for the picture timing SEI. */
    private long picturesSincePeriod;

    /** A NAL unit's bytes in the byte stream, as the HRD counts them: with its start code. */
    private static int nalBytes(byte[] nal) {
        return ParameterSets.START_CODE_BYTES + nal.length;
    }

    private void prepareJobs(boolean idr, int qp, double target) {
        job.header = sets.sliceHeader(idr, frameNum, idrPicId, qp, deblocking);
        job.idr = idr;
        job.pictureQp = qp;
        job.targetBits = target;
        job.rateControl = rateControl;
        job.source = source;
        job.recon = recon;
        job.reference = reference;
        job.subPel = subPel;
        job.intra4x4 = subPel; // every preset but ultrafast
        job.partitions = partitions;
        job.partitions8x8 = partitions8x8;
        job.aqStrength = config.aqStrength();
        job.qpMin = config.qpMin();
        job.qpMax = config.qpMax();
        job.paddedReference = paddedReference;
        job.halfPlanes = halfPlanes;
        prefetching = !idr && subPel; // only P pictures with sub-pel motion read half-sample tiles
        job.whileWaiting = workers == 1 ? mbY -> false : waitingWork;
        prefetchCursor.set(0);
        nextCursor.set(0);
        java.util.Arrays.fill(mbHeaders, job.header);
    }

    /** Whether our deblocking filter runs in the rows' fork-join, behind the rows (see {@link #encodeRows}). */
    private boolean deblocksWithRows() {
        return deblocking && jcodecDeblock == null;
    }

    /**
     * Codes the macroblock rows as a wavefront and, with our own filter, deblocks the picture in the
     * same fork-join, a few macroblocks at a time as they become ready ({@link #deblockSome}): by the
     * worker that has just coded a row, by workers that wait on the row above, and at the end by
     * every worker until the last row is filtered. Then puts the slice together. Returns its bits.
     */
    private long encodeRows() {
        boolean deblock = deblocksWithRows();
        for (int r = 0; r < mbHeight; r++) {
            codedProgress.set(r * PROGRESS_STRIDE, 0);
            rowProgress.set(r * PROGRESS_STRIDE, 0);
            rowFinal.set(r, 0);
        }
        finalRows.set(0);
        deblockCursor.set(0);
        int lastRow = mbHeight - 1;
        earlyStitch.set(false);
        sliceEncoders[0].startSlice(job);
        runParallel(mbHeight, new Crew.Task() {
            @Override
            public void run(int worker, int row) {
                if (!rowLoaded[row]) {
                    loadBand(row, row + 1);
                    rowLoaded[row] = true;
                }
                sliceEncoders[worker].encodeRow(job, row, rows, codedProgress, PROGRESS_STRIDE);
                if (deblock) {
                    while (deblockSome()) {
                        // what the row just coded made ready: mostly the row above
                    }
                }
            }

            /**
             * No row left to claim: puts the slice together up to the rows still being coded (the
             * first thread here), then helps those rows.
             */
            @Override
            public void idle(int worker) {
                if (deblock && earlyStitch.compareAndSet(false, true)) {
                    // The rows whose deblocking has started are coded and their QPs settled.
                    int settled = 0;
                    while (settled < lastRow && rowProgress.getAcquire(settled * PROGRESS_STRIDE) > 0) {
                        settled++;
                    }
                    sliceEncoders[0].stitchRows(job, rows, qpBefore, settled);
                }
                boolean more = true;
                while (more && codedProgress.get(lastRow * PROGRESS_STRIDE) < mbWidth) {
                    more = job.whileWaiting.test(lastRow);
                }
                if (deblock) {
                    // The picture is done when its last row is filtered: help, then wait for it.
                    for (int spins = 0; rowProgress.getAcquire(lastRow * PROGRESS_STRIDE) < mbWidth; spins++) {
                        if (!deblockSome()) {
                            SliceEncoder.pause(spins);
                        }
                    }
                }
            }
        });
        if (!deblock) {
            for (int r = 0; r < mbHeight; r++) {
                settleRowQp(r);
            }
        }
        sliceEncoders[0].stitch(job, rows, qpBefore);
        return job.bits;
    }

    /**
     * Gives the macroblocks of {@code row} that keep the QP from before it (see RowBits) that QP, now
     * that the row above has settled it. In row order.
     */
    private void settleRowQp(int row) {
        int before = row == 0 ? 26 + job.header.sliceQpDelta : rows[row - 1].qpAfter(qpBefore[row - 1]);
        qpBefore[row] = before;
        int inheriting = rows[row].inheritingMacroblocks(mbWidth);
        java.util.Arrays.fill(info.qp, row * mbWidth, row * mbWidth + inheriting, before);
    }

    /** Whether a thread has started putting the slice together while the last rows are coded. */
    private final java.util.concurrent.atomic.AtomicBoolean earlyStitch = new java.util.concurrent.atomic.AtomicBoolean();

    /** Tiles {@link #prefetchTiles} computes at a time: a few microseconds. */
    private static final int PREFETCH_CHUNK = 8;
    /** The next tile to prefetch in this picture. */
    private final java.util.concurrent.atomic.AtomicInteger prefetchCursor = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether this picture's workers prefetch half-sample tiles while they wait. */
    private boolean prefetching;
    private final java.util.function.IntPredicate waitingWork = this::whileWaiting;

    /**
     * The work of a worker that waits in macroblock row {@code row} ({@link SliceEncoder.Job#whileWaiting}),
     * a little at a time: the deblocking that is ready ({@link #deblockSome}), certain work, first;
     * then, in pictures that read them, half-sample tiles ({@link #prefetchTiles}). False when there
     * is none (yet).
     */
    private boolean whileWaiting(int row) {
        return deblocksWithRows() && deblockSome() || prefetching && prefetchTiles(row);
    }

    /**
     * Prefetches the next few half-sample tiles that the rows from one above {@code row} down may
     * read (see {@link HalfPlanes#prefetch}); once those are all past, the next few tiles of the
     * picture being coded, from its final rows, that this picture's search has read
     * ({@link HalfPlanes#prefetchNext}), for the next picture. False when there are none (yet).
     */
    private boolean prefetchTiles(int row) {
        HalfPlanes planes = job.halfPlanes;
        int floor = planes.firstTileOfRow(PaddedLuma.PAD + (row - 1) * 16);
        int from = prefetchCursor.getAndAdd(PREFETCH_CHUNK);
        if (from < floor) {
            prefetchCursor.accumulateAndGet(floor + PREFETCH_CHUNK, Math::max);
            from = floor;
        }
        if (from < planes.tiles()) {
            planes.prefetch(job.paddedReference.data, from, from + PREFETCH_CHUNK, halfPlanesNext);
            return true;
        }
        return prefetchNextTiles();
    }

    /** The next tile of the picture being coded to prefetch for the next picture. */
    private final java.util.concurrent.atomic.AtomicInteger nextCursor = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether each row of the picture being coded is final in {@link #paddedNext}: deblocked, both edges. */
    private final java.util.concurrent.atomic.AtomicIntegerArray rowFinal;
    /** Rows known final from the top, a lower bound. */
    private final java.util.concurrent.atomic.AtomicInteger finalRows = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Prefetches the next few tiles of the picture being coded, within its final rows, for the next
     * picture (see {@link #prefetchTiles}). False when the final rows have none left.
     */
    private boolean prefetchNextTiles() {
        int rows = finalRows.get();
        while (rows < mbHeight && rowFinal.get(rows) != 0) {
            rows++;
        }
        finalRows.accumulateAndGet(rows, Math::max);
        HalfPlanes next = halfPlanesNext;
        // The padding above comes with the first row, the padding below with the last.
        int limit = rows == 0 ? 0 : next.tilesWithin(rows == mbHeight ? Integer.MAX_VALUE : PaddedLuma.PAD + rows * 16);
        int from = nextCursor.get();
        if (from >= limit) {
            return false;
        }
        int to = Math.min(from + PREFETCH_CHUNK, limit);
        if (nextCursor.compareAndSet(from, to)) {
            next.prefetchNext(paddedNext.data, from, to, job.halfPlanes);
        }
        return true;
    }

    /** Runs tasks {@code 0..tasks-1} on the crew (see {@link Crew#run}). */
    private void runParallel(int tasks, Crew.Task task) {
        crew.run(tasks, task, this::releaseAllRows);
    }

    /**
     * After a failed task: releases every row's progress, so that no worker waits forever on a row
     * that will not come; the failure then ends the picture's encode.
     */
    private void releaseAllRows() {
        for (int r = 0; r < mbHeight; r++) {
            codedProgress.set(r * PROGRESS_STRIDE, Integer.MAX_VALUE);
            rowProgress.set(r * PROGRESS_STRIDE, Integer.MAX_VALUE);
        }
    }

    /** Macroblocks {@link #deblockSome} filters at a time: a few microseconds. */
    private static final int DEBLOCK_CHUNK = 4;
    /** The next macroblock to deblock, in raster order. */
    private final java.util.concurrent.atomic.AtomicInteger deblockCursor = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Deblocks the next few macroblocks of the picture, in raster order, if they are ready; returns
     * false if they are not (or the picture is filtered). A row is ready once it is coded (its QPs
     * then settle, after the row above's) and a macroblock once the row below has coded the one
     * below-right of it (the last to predict from its unfiltered samples), the row above has filtered
     * the one above-right of it (whose filtering reaches into the samples this one filters) and the
     * macroblock before it is filtered. One thread at a time filters: a claim waits on nothing. A
     * row is final once the row below it is filtered (whose top edges reach three lines into it);
     * the thread that filters the row below's last macroblock copies it into the padded next
     * reference.
     */
    private boolean deblockSome() {
        int at = deblockCursor.get();
        int row = at / mbWidth;
        if (row >= mbHeight) {
            return false;
        }
        int from = at % mbWidth;
        int to = Math.min(mbWidth, from + DEBLOCK_CHUNK);
        int past = Math.min(mbWidth, to + 1);
        if (rowProgress.getAcquire(row * PROGRESS_STRIDE) < from
                || codedProgress.getAcquire(row * PROGRESS_STRIDE) < mbWidth
                || row + 1 < mbHeight && codedProgress.getAcquire((row + 1) * PROGRESS_STRIDE) < past
                || row > 0 && rowProgress.getAcquire((row - 1) * PROGRESS_STRIDE) < past) {
            return false;
        }
        if (!deblockCursor.compareAndSet(at, row * mbWidth + to)) {
            return true; // another thread took these: look again
        }
        if (from == 0) {
            settleRowQp(row);
        }
        Picture picture = job.recon;
        int[] bs = loopFilterScratch.get();
        for (int mbX = from; mbX < to; mbX++) {
            loopFilter.filterMacroblock(picture, mbX, row, bs);
            rowProgress.setRelease(row * PROGRESS_STRIDE, mbX + 1); // publishes the filtered samples
        }
        if (to == mbWidth) {
            byte[] luma = picture.getPlaneData(0);
            if (row > 0) {
                paddedNext.fillRow(luma, row - 1);
                rowFinal.set(row - 1, 1); // publishes the padded row
            }
            if (row == mbHeight - 1) {
                paddedNext.fillRow(luma, row);
                rowFinal.set(row, 1);
            }
        }
        return true;
    }

    /** The frame to load, I420 or converted to it in {@link #i420}; each row's worker loads the row. */
    private Frame pending;

    /** Converts a frame that is not I420 to I420 first; an I420 frame is read in place by the rows' workers. */
    private void prepareSource(Frame frame) {
        if (frame.format() != PixelFormat.I420) {
            ColorConversion.toI420(frame, i420);
        }
        pending = frame;
        java.util.Arrays.fill(rowLoaded, false);
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
        crew.close();
    }
}
