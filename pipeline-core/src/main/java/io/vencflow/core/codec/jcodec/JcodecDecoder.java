package io.vencflow.core.codec.jcodec;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;

/**
 * The pure-Java decoder: JCodec's H.264 decoder (Baseline and Main without B-frame reordering;
 * frames come out in decoding order). The fallback where FFmpeg's natives do not load.
 */
public final class JcodecDecoder implements VideoDecoder {
    private H264Decoder decoder = new H264Decoder();
    private byte[][] buffer;
    private int codedWidth;
    private int codedHeight;
    private long errors;

    public JcodecDecoder(Codec codec) {
        if (codec != Codec.H264) {
            throw new IllegalArgumentException("the jcodec decoder decodes H.264 only; " + codec
                    + " needs the ffmpeg backend");
        }
    }

    @Override
    public Backend backend() {
        return Backend.JCODEC;
    }

    @Override
    public List<Frame> decode(EncodedFrame au) {
        if (decoder == null) {
            throw new IllegalStateException("jcodec decoder is closed");
        }
        if (au.codec() != Codec.H264) {
            throw new IllegalArgumentException("access unit #" + au.sequence() + " is " + au.codec()
                    + "; this decoder decodes H264");
        }
        for (Pack p : au.packs()) {
            if (p.nalType() == NalUnit.H264_SPS) {
                SequenceParameterSet sps = SequenceParameterSet.parse(Codec.H264, p.toByteArray());
                if (buffer == null || sps.codedWidth() != codedWidth || sps.codedHeight() != codedHeight) {
                    codedWidth = sps.codedWidth();
                    codedHeight = sps.codedHeight();
                    buffer = Picture.create(codedWidth, codedHeight, ColorSpace.YUV420J).getData();
                }
            }
        }
        if (buffer == null) {
            errors++; // nothing can be decoded before the first SPS
            return List.of();
        }
        org.jcodec.codecs.h264.io.model.Frame decoded;
        try {
            decoded = decoder.decodeFrame(ByteBuffer.wrap(au.toAnnexB()), buffer);
        } catch (RuntimeException e) {
            errors++;
            return List.of();
        }
        if (decoded == null) {
            errors++;
            return List.of();
        }
        return List.of(toFrame(decoded, au));
    }

    private static Frame toFrame(Picture pic, EncodedFrame au) {
        Rect crop = pic.getCrop();
        int x0 = crop == null ? 0 : crop.getX();
        int y0 = crop == null ? 0 : crop.getY();
        int w = crop == null ? pic.getWidth() : crop.getWidth();
        int h = crop == null ? pic.getHeight() : crop.getHeight();
        byte[] out = new byte[w * h * 3 / 2];
        int off = 0;
        for (int plane = 0; plane < 3; plane++) {
            int shift = plane == 0 ? 0 : 1;
            int stride = pic.getPlaneWidth(plane);
            byte[] src = pic.getPlaneData(plane);
            for (int y = 0; y < (h >> shift); y++) {
                int s = ((y0 >> shift) + y) * stride + (x0 >> shift);
                for (int x = 0; x < (w >> shift); x++) {
                    out[off++] = (byte) (src[s + x] + 128);
                }
            }
        }
        return new Frame(au.channel(), au.sequence(), au.ptsMicros(), w, h, PixelFormat.I420, out);
    }

    @Override
    public List<Frame> flush() {
        if (decoder == null) {
            throw new IllegalStateException("jcodec decoder is closed");
        }
        return List.of();
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public void close() {
        decoder = null;
        buffer = null;
    }
}
