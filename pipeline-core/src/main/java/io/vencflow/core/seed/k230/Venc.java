package io.vencflow.core.seed.k230;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.PackType;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The K230 CanMV VENC channel API, as its manual describes it, on vencflow's encoders:
 * {@code SetOutBufs}, {@code Create}, {@code Start}, {@code SendFrame} (in place of binding a camera),
 * {@code GetStream}, {@code ReleaseStream}, {@code Stop}, {@code Destroy}. Every call returns
 * {@link #VENC_OK} (0) or a non-0 error code; {@link #lastError()} says what went wrong.
 *
 * <p>Channels are 0..3. The manual reserves channel 3 for the IDE's image transfer; it is allowed
 * here, as on the device when {@code compress_for_ide} is not used.
 *
 * <p>Output buffers are lent and given back: {@code GetStream} lends one frame's buffer,
 * {@code ReleaseStream} returns it. While all {@code buf_num} buffers are held (lent or waiting to be
 * fetched), {@code SendFrame} drops the frame, counts it ({@link #droppedFrames}) and returns
 * {@link #VENC_ERR_NO_BUFFER}: it never blocks and never writes into a lent buffer. Thread-safe: a
 * camera thread may send while another thread fetches.
 */
public final class Venc implements AutoCloseable {
    public static final int VENC_CHN_ID_0 = 0;
    public static final int VENC_CHN_ID_1 = 1;
    public static final int VENC_CHN_ID_2 = 2;
    public static final int VENC_CHN_ID_3 = 3;
    public static final int VENC_MAX_CHN_NUMS = 4;
    /** The most packs one StreamData holds. */
    public static final int VENC_PACK_CNT_MAX = 12;

    public static final int PAYLOAD_TYPE_H264 = 96;
    public static final int PAYLOAD_TYPE_H265 = 265;
    public static final int H264_PROFILE_BASELINE = 0;
    public static final int H264_PROFILE_MAIN = 1;
    public static final int H264_PROFILE_HIGH = 2;
    public static final int H265_PROFILE_MAIN = 0;

    public static final int STREAM_TYPE_HEADER = 0;
    public static final int STREAM_TYPE_I = 1;
    public static final int STREAM_TYPE_P = 2;

    public static final int VENC_OK = 0;
    /** The channel number is not 0..3. */
    public static final int VENC_ERR_INVALID_CHN = -1;
    /** The channel has not been created (or was destroyed). */
    public static final int VENC_ERR_NOT_CREATED = -2;
    /** The call does not fit the channel's state (send before Start, Create twice, ...). */
    public static final int VENC_ERR_WRONG_STATE = -3;
    /** Every output buffer is held: the frame was dropped and counted. */
    public static final int VENC_ERR_NO_BUFFER = -4;
    /** No stream became ready within the timeout. */
    public static final int VENC_ERR_TIMEOUT = -5;
    /** A parameter is out of range (attributes, buffer count, frame size, a stream not lent). */
    public static final int VENC_ERR_ILLEGAL_PARAM = -6;
    /** The codec or profile cannot be encoded by any backend available here. */
    public static final int VENC_ERR_NOT_SUPPORTED = -7;

    /** The timeout of {@link #GetStream(int, StreamData)}: 1 second. */
    public static final int DEFAULT_TIMEOUT_MS = 1000;
    private static final int MAX_BUF_NUM = 64;
    private static final int DEFAULT_BUF_NUM = 8;

    private enum State { NONE, CREATED, STARTED, STOPPED }

    private final Backend backend;
    private final Channel[] channels = new Channel[VENC_MAX_CHN_NUMS];
    private volatile String lastError = "";

    /** A VENC on the best backend available ({@code auto}). */
    public Venc() {
        this(Backend.AUTO);
    }

    public Venc(Backend backend) {
        this.backend = backend;
        for (int i = 0; i < channels.length; i++) {
            channels[i] = new Channel();
        }
    }

    /** Sets the number and picture size of a channel's output buffers; call before {@link #Create}. */
    public int SetOutBufs(int chn, int bufNum, int width, int height) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        if (bufNum < 1 || bufNum > MAX_BUF_NUM) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "buf_num " + bufNum + " is out of range; expected 1.." + MAX_BUF_NUM);
        }
        if (width < EncoderConfig.MIN_DIMENSION || height < EncoderConfig.MIN_DIMENSION
                || width > EncoderConfig.MAX_DIMENSION || height > EncoderConfig.MAX_DIMENSION) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "buffer size " + width + "x" + height + " is out of range; expected "
                    + EncoderConfig.MIN_DIMENSION + ".." + EncoderConfig.MAX_DIMENSION + " on each side");
        }
        Channel c = channels[chn];
        c.lock.lock();
        try {
            if (c.state != State.NONE) {
                return fail(VENC_ERR_WRONG_STATE, "channel " + chn + " is " + c.state + "; SetOutBufs comes before Create");
            }
            c.bufNum = bufNum;
            c.bufWidth = width;
            c.bufHeight = height;
            return VENC_OK;
        } finally {
            c.lock.unlock();
        }
    }

    /** Creates channel {@code chn}'s encoder from its attributes. */
    public int Create(int chn, ChnAttrStr attr) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        if (attr == null) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "chnAttr is null");
        }
        Channel c = channels[chn];
        c.lock.lock();
        try {
            if (c.state != State.NONE) {
                return fail(VENC_ERR_WRONG_STATE, "channel " + chn + " is already created (" + c.state + ")");
            }
            if (c.bufNum > 0 && (c.bufWidth < attr.pic_width || c.bufHeight < attr.pic_height)) {
                return fail(VENC_ERR_ILLEGAL_PARAM, "picture " + attr.pic_width + "x" + attr.pic_height
                        + " does not fit the output buffers of " + c.bufWidth + "x" + c.bufHeight + " set by SetOutBufs");
            }
            Codec codec;
            Profile profile;
            if (attr.payload_type == PAYLOAD_TYPE_H264) {
                codec = Codec.H264;
                profile = switch (attr.profile) {
                    case H264_PROFILE_BASELINE -> Profile.BASELINE;
                    case H264_PROFILE_MAIN -> Profile.MAIN;
                    case H264_PROFILE_HIGH -> Profile.HIGH;
                    default -> null;
                };
            } else if (attr.payload_type == PAYLOAD_TYPE_H265) {
                codec = Codec.H265;
                profile = attr.profile == H265_PROFILE_MAIN ? Profile.MAIN : null;
            } else {
                return fail(VENC_ERR_ILLEGAL_PARAM, "payload_type " + attr.payload_type + " is not PAYLOAD_TYPE_H264 ("
                        + PAYLOAD_TYPE_H264 + ") or PAYLOAD_TYPE_H265 (" + PAYLOAD_TYPE_H265 + ")");
            }
            if (profile == null) {
                return fail(VENC_ERR_ILLEGAL_PARAM, "profile " + attr.profile + " is not a " + codec + " profile");
            }
            EncoderConfig config;
            try {
                config = EncoderConfig.builder().codec(codec).profile(profile).size(attr.pic_width, attr.pic_height)
                        .gop(attr.gop_len).backend(backend).inputFormat(PixelFormat.NV12)
                        // the device's encoder is dedicated hardware: give the software one every core
                        .threads(0).build();
            } catch (IllegalArgumentException e) {
                return fail(VENC_ERR_ILLEGAL_PARAM, "chnAttr " + attr + ": " + e.getMessage());
            }
            try {
                c.encoder = VideoEncoder.open(config);
            } catch (RuntimeException e) {
                return fail(VENC_ERR_NOT_SUPPORTED, "cannot encode " + codec + " " + profile.id() + " here: "
                        + e.getMessage());
            }
            if (c.bufNum == 0) {
                c.bufNum = DEFAULT_BUF_NUM;
            }
            c.free.clear();
            c.ready.clear();
            for (int i = 0; i < c.bufNum; i++) {
                c.free.add(new OutBuffer(attr.pic_width * attr.pic_height / 2, c.generation));
            }
            c.lent = 0;
            c.dropped = 0;
            c.sequence = 0;
            c.state = State.CREATED;
            return VENC_OK;
        } finally {
            c.lock.unlock();
        }
    }

    /** Starts encoding on a created or stopped channel. */
    public int Start(int chn) {
        return transition(chn, State.STARTED, "Start", State.CREATED, State.STOPPED);
    }

    /** Stops encoding; frames sent afterwards are refused, streams already encoded can still be fetched. */
    public int Stop(int chn) {
        return transition(chn, State.STOPPED, "Stop", State.STARTED);
    }

    /**
     * Encodes one frame on a started channel (the device binds a camera instead). The frame must be
     * of the channel's picture size; any pixel format is converted to the K230's YUV420SP (NV12).
     */
    public int SendFrame(int chn, Frame frame) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        Channel c = channels[chn];
        OutBuffer buffer;
        VideoEncoder encoder;
        c.lock.lock();
        try {
            if (c.state == State.NONE) {
                return fail(VENC_ERR_NOT_CREATED, "channel " + chn + " is not created");
            }
            if (c.state != State.STARTED) {
                return fail(VENC_ERR_WRONG_STATE, "channel " + chn + " is " + c.state + "; SendFrame needs Start first");
            }
            EncoderConfig cfg = c.encoder.config();
            if (frame == null || frame.width() != cfg.width() || frame.height() != cfg.height()) {
                return fail(VENC_ERR_ILLEGAL_PARAM, "frame " + (frame == null ? "null" : frame.width() + "x"
                        + frame.height()) + " does not match channel " + chn + "'s " + cfg.width() + "x" + cfg.height());
            }
            buffer = c.free.poll();
            if (buffer == null) {
                c.dropped++;
                return fail(VENC_ERR_NO_BUFFER, "channel " + chn + ": all " + c.bufNum
                        + " output buffers are held; frame dropped (" + c.dropped + " so far)");
            }
            encoder = c.encoder;
        } finally {
            c.lock.unlock();
        }
        EncodedFrame encoded;
        c.encodeLock.lock();
        try {
            Frame input = ColorConversion.convert(frame, PixelFormat.NV12);
            encoded = encoder.encode(input.withSequence(c.sequence++, frame.ptsMicros()).withChannel("venc" + chn));
        } catch (RuntimeException e) {
            giveBack(c, buffer);
            return fail(VENC_ERR_ILLEGAL_PARAM, "channel " + chn + ": " + e.getMessage());
        } finally {
            c.encodeLock.unlock();
        }
        buffer.fill(encoded);
        c.lock.lock();
        try {
            if (c.state == State.NONE) {
                return fail(VENC_ERR_NOT_CREATED, "channel " + chn + " was destroyed while encoding");
            }
            c.ready.add(buffer);
            c.readyChanged.signalAll();
            return VENC_OK;
        } finally {
            c.lock.unlock();
        }
    }

    /** Lends the next encoded frame, waiting up to {@link #DEFAULT_TIMEOUT_MS}. */
    public int GetStream(int chn, StreamData streamData) {
        return GetStream(chn, streamData, DEFAULT_TIMEOUT_MS);
    }

    /**
     * Lends the next encoded frame into {@code streamData}, waiting up to {@code timeoutMs} (0: do not
     * wait). The buffer stays lent until {@link #ReleaseStream}.
     */
    public int GetStream(int chn, StreamData streamData, int timeoutMs) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        if (streamData == null) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "streamData is null");
        }
        if (streamData.lentBuffer != null) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "streamData still holds a stream of channel " + streamData.lentChannel
                    + "; ReleaseStream it first");
        }
        Channel c = channels[chn];
        c.lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
            while (c.ready.isEmpty()) {
                if (c.state == State.NONE) {
                    return fail(VENC_ERR_NOT_CREATED, "channel " + chn + " is not created");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail(VENC_ERR_TIMEOUT, "channel " + chn + ": no stream within " + timeoutMs + " ms");
                }
                c.readyChanged.awaitNanos(left);
            }
            OutBuffer buffer = c.ready.poll();
            c.lent++;
            buffer.lendInto(streamData, chn);
            return VENC_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(VENC_ERR_TIMEOUT, "channel " + chn + ": interrupted while waiting for a stream");
        } finally {
            c.lock.unlock();
        }
    }

    /** Gives back a buffer lent by {@link #GetStream}; the StreamData's views are cleared. */
    public int ReleaseStream(int chn, StreamData streamData) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        if (streamData == null || streamData.lentBuffer == null) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "streamData holds no lent stream");
        }
        if (streamData.lentChannel != chn) {
            return fail(VENC_ERR_ILLEGAL_PARAM, "streamData was lent by channel " + streamData.lentChannel + ", not " + chn);
        }
        Channel c = channels[chn];
        OutBuffer buffer = (OutBuffer) streamData.lentBuffer;
        streamData.clear();
        c.lock.lock();
        try {
            if (c.state != State.NONE && buffer.owner == c.generation) {
                c.lent--;
                c.free.add(buffer);
            }
            return VENC_OK;
        } finally {
            c.lock.unlock();
        }
    }

    /** Destroys a channel's encoder and buffers; the channel can be created again. */
    public int Destroy(int chn) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        Channel c = channels[chn];
        c.lock.lock();
        try {
            if (c.state == State.NONE) {
                return fail(VENC_ERR_NOT_CREATED, "channel " + chn + " is not created");
            }
            c.encodeLock.lock();
            try {
                c.encoder.close();
            } finally {
                c.encodeLock.unlock();
            }
            c.encoder = null;
            c.state = State.NONE;
            c.generation++;
            c.free.clear();
            c.ready.clear();
            c.bufNum = 0;
            c.readyChanged.signalAll();
            return VENC_OK;
        } finally {
            c.lock.unlock();
        }
    }

    /** Frames dropped on channel {@code chn} because every output buffer was held. */
    public long droppedFrames(int chn) {
        Channel c = channels[chn];
        c.lock.lock();
        try {
            return c.dropped;
        } finally {
            c.lock.unlock();
        }
    }

    /** What the last failing call said, for logs. */
    public String lastError() {
        return lastError;
    }

    /** Destroys every channel still created. */
    @Override
    public void close() {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].state != State.NONE) {
                Destroy(i);
            }
        }
    }

    private int transition(int chn, State to, String call, State... from) {
        if (!validChannel(chn)) {
            return fail(VENC_ERR_INVALID_CHN, "channel " + chn + " is not 0..3");
        }
        Channel c = channels[chn];
        c.lock.lock();
        try {
            if (c.state == State.NONE) {
                return fail(VENC_ERR_NOT_CREATED, "channel " + chn + " is not created");
            }
            for (State s : from) {
                if (c.state == s) {
                    c.state = to;
                    return VENC_OK;
                }
            }
            return fail(VENC_ERR_WRONG_STATE, "channel " + chn + " is " + c.state + "; " + call + " needs "
                    + java.util.Arrays.toString(from));
        } finally {
            c.lock.unlock();
        }
    }

    private static void giveBack(Channel c, OutBuffer buffer) {
        c.lock.lock();
        try {
            if (buffer.owner == c.generation) {
                c.free.add(buffer);
            }
        } finally {
            c.lock.unlock();
        }
    }

    private static boolean validChannel(int chn) {
        return chn >= 0 && chn < VENC_MAX_CHN_NUMS;
    }

    private int fail(int code, String message) {
        lastError = message;
        return code;
    }

    private static final class Channel {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantLock encodeLock = new ReentrantLock();
        final Condition readyChanged = lock.newCondition();
        final ArrayDeque<OutBuffer> free = new ArrayDeque<>();
        final ArrayDeque<OutBuffer> ready = new ArrayDeque<>();
        State state = State.NONE;
        VideoEncoder encoder;
        int bufNum;
        int bufWidth;
        int bufHeight;
        int lent;
        long dropped;
        long sequence;
        int generation;
    }

    /** One output buffer: an encoded frame's packs, laid out with their start codes. */
    private static final class OutBuffer {
        private byte[] storage;
        private final int[] offsets = new int[VENC_PACK_CNT_MAX];
        private final int[] sizes = new int[VENC_PACK_CNT_MAX];
        private final int[] types = new int[VENC_PACK_CNT_MAX];
        private int packCount;
        private long pts;
        private final int owner;

        OutBuffer(int initialCapacity, int owner) {
            this.storage = new byte[Math.max(4096, initialCapacity)];
            this.owner = owner;
        }

        /** Called only while the buffer is neither ready nor lent: nobody else can see it. */
        void fill(EncodedFrame frame) {
            List<List<Pack>> groups = group(frame.packs());
            int total = frame.annexBSize();
            if (storage.length < total) {
                storage = new byte[Math.max(total, storage.length * 2)];
            }
            int off = 0;
            packCount = groups.size();
            for (int i = 0; i < packCount; i++) {
                offsets[i] = off;
                for (Pack p : groups.get(i)) {
                    storage[off++] = 0;
                    storage[off++] = 0;
                    storage[off++] = 0;
                    storage[off++] = 1;
                    off = p.copyTo(storage, off);
                }
                sizes[i] = off - offsets[i];
                types[i] = switch (groups.get(i).get(0).type()) {
                    case HEADER -> STREAM_TYPE_HEADER;
                    case I -> STREAM_TYPE_I;
                    case P -> STREAM_TYPE_P;
                };
            }
            pts = frame.ptsMicros();
        }

        void lendInto(StreamData sd, int chn) {
            sd.pack_cnt = packCount;
            for (int i = 0; i < packCount; i++) {
                sd.data[i] = ByteBuffer.wrap(storage, offsets[i], sizes[i]).slice().asReadOnlyBuffer();
                sd.data_size[i] = sizes[i];
                sd.stream_type[i] = types[i];
                sd.pts[i] = pts;
            }
            sd.lentBuffer = this;
            sd.lentChannel = chn;
        }

        /** One pack per NAL unit; beyond 12, neighbouring units of one type share a pack. */
        private static List<List<Pack>> group(List<Pack> packs) {
            List<List<Pack>> groups = new ArrayList<>();
            for (Pack p : packs) {
                groups.add(new ArrayList<>(List.of(p)));
            }
            for (int i = groups.size() - 1; groups.size() > VENC_PACK_CNT_MAX && i > 0; i--) {
                PackType a = groups.get(i - 1).get(0).type();
                if (a == groups.get(i).get(0).type()) {
                    groups.get(i - 1).addAll(groups.remove(i));
                }
            }
            if (groups.size() > VENC_PACK_CNT_MAX) {
                List<Pack> tail = new ArrayList<>();
                while (groups.size() >= VENC_PACK_CNT_MAX) {
                    tail.addAll(0, groups.remove(groups.size() - 1));
                }
                groups.add(tail);
            }
            return groups;
        }
    }

}
