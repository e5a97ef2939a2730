package io.vencflow.jobs.bench;

import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.frame.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;

/**
 * JCodec's H264Encoder called directly: {@code encodeFrame} on YUV420J pictures prepared before timing,
 * at one fixed QP. The reference the jcodec backend's cost is measured against.
 */
final class BareJcodecLoop {
    private BareJcodecLoop() {
    }

    static BenchRow run(List<Frame> source, int warmup, int qp) {
        int w = source.get(0).width();
        int h = source.get(0).height();
        List<Picture> pictures = new ArrayList<>(source.size());
        for (Frame f : source) {
            pictures.add(toPicture(f));
        }
        ByteBuffer out = ByteBuffer.allocate(w * h * 3);
        H264Encoder warm = new H264Encoder(new FixedQp(qp));
        for (int i = 0; i < warmup; i++) {
            out.clear();
            warm.encodeFrame(pictures.get(i), out);
        }
        H264Encoder encoder = new H264Encoder(new FixedQp(qp));
        encoder.setKeyInterval(30);
        List<byte[]> streams = new ArrayList<>();
        Elapsed.Clock clock = Elapsed.start();
        for (int i = warmup; i < pictures.size(); i++) {
            out.clear();
            ByteBuffer data = encoder.encodeFrame(pictures.get(i), out).getData();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            streams.add(copy);
        }
        Elapsed elapsed = clock.stop();
        return BenchRow.measure("bare JCodec H264Encoder", "encodeFrame, key interval 30, fixed qp " + qp,
                toAccessUnits(streams, source.subList(warmup, source.size())), source.subList(warmup, source.size()),
                elapsed);
    }

    /** A rate control that keeps one QP, the bare equivalent of the wrapper's constant-QP mode. */
    private record FixedQp(int qp) implements RateControl {
        @Override
        public int startPicture(Size sz, int maxSize, SliceType sliceType) {
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }

    private static Picture toPicture(Frame f) {
        Picture p = Picture.create(f.width(), f.height(), ColorSpace.YUV420J);
        int luma = f.width() * f.height();
        int chroma = luma / 4;
        byte[][] planes = p.getData();
        for (int i = 0; i < luma; i++) {
            planes[0][i] = (byte) ((f.pixel(i) & 0xff) - 128);
        }
        for (int i = 0; i < chroma; i++) {
            planes[1][i] = (byte) ((f.pixel(luma + i) & 0xff) - 128);
            planes[2][i] = (byte) ((f.pixel(luma + chroma + i) & 0xff) - 128);
        }
        return p;
    }

    private static List<EncodedFrame> toAccessUnits(List<byte[]> streams, List<Frame> source) {
        List<EncodedFrame> out = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            List<Pack> packs = new ArrayList<>();
            boolean key = false;
            for (List<byte[]> au : AccessUnitAssembler.split(Codec.H264, streams.get(i))) {
                for (byte[] nal : au) {
                    Pack p = Pack.of(Codec.H264, nal);
                    key |= p.nalType() == NalUnit.H264_IDR;
                    packs.add(p);
                }
            }
            Frame f = source.get(i);
            out.add(new EncodedFrame(f.channel(), f.sequence(), f.ptsMicros(), Codec.H264, f.width(), f.height(), key, 0,
                    0, packs));
        }
        return out;
    }
}
