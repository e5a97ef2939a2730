package io.vencflow.core.seed.k230;

import static io.vencflow.core.seed.k230.Venc.H264_PROFILE_MAIN;
import static io.vencflow.core.seed.k230.Venc.H265_PROFILE_MAIN;
import static io.vencflow.core.seed.k230.Venc.PAYLOAD_TYPE_H265;
import static io.vencflow.core.seed.k230.Venc.PAYLOAD_TYPE_H264;
import static io.vencflow.core.seed.k230.Venc.STREAM_TYPE_HEADER;
import static io.vencflow.core.seed.k230.Venc.STREAM_TYPE_I;
import static io.vencflow.core.seed.k230.Venc.STREAM_TYPE_P;
import static io.vencflow.core.seed.k230.Venc.VENC_CHN_ID_0;
import static io.vencflow.core.seed.k230.Venc.VENC_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.testing.Decoded;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The K230 seed's example program, ported: create a channel, start it, encode 100 frames, write every
 * pack to a file, stop, destroy. The camera bind becomes SendFrame of YUV420SP (NV12) frames.
 */
class VencExampleTest {

    @Test
    void theSeedExampleWritesA264FileThatDecodesCompletely(@TempDir Path dir) throws IOException {
        int width = 640;
        int height = 480;
        int vencChn = VENC_CHN_ID_0;
        Path outFile = dir.resolve("venc_chn_00.264");
        int[] typeCounts = new int[3];

        Venc encoder = new Venc(Backend.JCODEC);
        assertEquals(VENC_OK, encoder.SetOutBufs(vencChn, 8, width, height));
        // The example asks for H.264 Main; the pure-Java backend has Constrained Baseline only, which
        // every Main decoder decodes, so the ported example runs it with the profile it can produce.
        ChnAttrStr chnAttr = new ChnAttrStr(PAYLOAD_TYPE_H264, Venc.H264_PROFILE_BASELINE, width, height);
        StreamData streamData = new StreamData();
        assertEquals(VENC_OK, encoder.Create(vencChn, chnAttr), encoder.lastError());
        assertEquals(VENC_OK, encoder.Start(vencChn));

        SyntheticScene camera = new SyntheticScene("k230", width, height, PixelFormat.NV12);
        int frameCount = 0;
        try (OutputStream fo = Files.newOutputStream(outFile)) {
            while (frameCount < 100) {
                assertEquals(VENC_OK, encoder.SendFrame(vencChn, camera.render(frameCount, frameCount * 33_333L)));
                assertEquals(VENC_OK, encoder.GetStream(vencChn, streamData), encoder.lastError());
                for (int packIdx = 0; packIdx < streamData.pack_cnt; packIdx++) {
                    Channels.newChannel(fo).write(streamData.data[packIdx].duplicate());
                    typeCounts[streamData.stream_type[packIdx]]++;
                }
                assertEquals(VENC_OK, encoder.ReleaseStream(vencChn, streamData));
                frameCount++;
            }
        }
        assertEquals(VENC_OK, encoder.Stop(vencChn));
        assertEquals(VENC_OK, encoder.Destroy(vencChn));

        // gop_len 30: IDRs at 0, 30, 60, 90, each behind SPS and PPS.
        assertEquals(8, typeCounts[STREAM_TYPE_HEADER]);
        assertEquals(4, typeCounts[STREAM_TYPE_I]);
        assertEquals(96, typeCounts[STREAM_TYPE_P]);
        Decoded decoded = Decoded.ofAnnexB(Codec.H264, Files.readAllBytes(outFile));
        assertEquals(0, decoded.errors());
        assertEquals(100, decoded.frames().size());
        assertEquals(width, decoded.frames().get(0).width());
    }

    /** The example exactly as the seed writes it: H.265 Main on channel 0, 8 buffers, written to a .265 file. */
    @Test
    void theSeedExampleAsWrittenEncodesH265MainThroughTheNativeBackend(@TempDir Path dir) throws IOException {
        runExample(dir.resolve("venc_chn_00.265"), PAYLOAD_TYPE_H265, H265_PROFILE_MAIN, Codec.H265);
    }

    @Test
    void theH264MainVariantOfTheExampleEncodesThroughTheNativeBackend(@TempDir Path dir) throws IOException {
        runExample(dir.resolve("venc_chn_00.264"), PAYLOAD_TYPE_H264, H264_PROFILE_MAIN, Codec.H264);
    }

    /** Runs the seed's example loop with the default backend and checks the file it writes. */
    private static void runExample(Path outFile, int payloadType, int profile, Codec codec) throws IOException {
        int width = 1280;
        int height = 720;
        int vencChn = VENC_CHN_ID_0;
        Venc encoder = new Venc();
        assertEquals(VENC_OK, encoder.SetOutBufs(vencChn, 8, width, height));
        ChnAttrStr chnAttr = new ChnAttrStr(payloadType, profile, width, height);
        StreamData streamData = new StreamData();
        assertEquals(VENC_OK, encoder.Create(vencChn, chnAttr), encoder.lastError());
        assertEquals(VENC_OK, encoder.Start(vencChn));
        SyntheticScene camera = new SyntheticScene("k230", width, height, PixelFormat.NV12);
        int firstHeaders = 0;
        int idrs = 0;
        try (OutputStream fo = Files.newOutputStream(outFile)) {
            for (int frameCount = 0; frameCount < 100; frameCount++) {
                assertEquals(VENC_OK, encoder.SendFrame(vencChn, camera.render(frameCount, frameCount * 33_333L)));
                assertEquals(VENC_OK, encoder.GetStream(vencChn, streamData), encoder.lastError());
                for (int packIdx = 0; packIdx < streamData.pack_cnt; packIdx++) {
                    Channels.newChannel(fo).write(streamData.data[packIdx].duplicate());
                    if (frameCount == 0 && streamData.stream_type[packIdx] == STREAM_TYPE_HEADER) {
                        firstHeaders++;
                    }
                    idrs += streamData.stream_type[packIdx] == STREAM_TYPE_I ? 1 : 0;
                }
                assertEquals(VENC_OK, encoder.ReleaseStream(vencChn, streamData));
            }
        }
        assertEquals(VENC_OK, encoder.Stop(vencChn));
        assertEquals(VENC_OK, encoder.Destroy(vencChn));
        assertTrue(idrs >= 4, "an IDR every 30 frames: " + idrs + " IDR slices");
        Decoded decoded = Decoded.ofAnnexB(codec, Files.readAllBytes(outFile));
        assertEquals(0, decoded.errors());
        assertEquals(100, decoded.frames().size());
        byte[] sps = null;
        for (byte[] nal : io.vencflow.core.bitstream.AnnexB.split(Files.readAllBytes(outFile))) {
            if (io.vencflow.core.bitstream.NalUnit.type(codec, nal[0]) == (codec == Codec.H264 ? 7 : 33)) {
                sps = nal;
                break;
            }
        }
        int profileIdc = io.vencflow.core.bitstream.SequenceParameterSet.parse(codec, sps).profileIdc();
        assertEquals(codec == Codec.H264 ? 77 : 1, profileIdc, "profile_idc");
        // H.264: SPS + PPS (+ x264's version SEI on the first frame); H.265: VPS + SPS + PPS.
        assertTrue(firstHeaders >= (codec == Codec.H264 ? 2 : 3), firstHeaders + " header packs");
    }

    @Test
    void theMainProfileOfTheExampleIsRefusedWithANonZeroCodeWhereNoBackendProducesIt() {
        Venc encoder = new Venc(Backend.JCODEC);
        encoder.SetOutBufs(VENC_CHN_ID_0, 8, 640, 480);
        int ret = encoder.Create(VENC_CHN_ID_0, new ChnAttrStr(PAYLOAD_TYPE_H264, H264_PROFILE_MAIN, 640, 480));
        assertEquals(Venc.VENC_ERR_NOT_SUPPORTED, ret);
        assertTrue(encoder.lastError().contains("profile main needs the ffmpeg backend"), encoder.lastError());
    }
}
