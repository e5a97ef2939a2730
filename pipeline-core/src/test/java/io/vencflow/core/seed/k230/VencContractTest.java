package io.vencflow.core.seed.k230;

import static io.vencflow.core.seed.k230.Venc.PAYLOAD_TYPE_H264;
import static io.vencflow.core.seed.k230.Venc.PAYLOAD_TYPE_H265;
import static io.vencflow.core.seed.k230.Venc.H264_PROFILE_BASELINE;
import static io.vencflow.core.seed.k230.Venc.H265_PROFILE_MAIN;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_ILLEGAL_PARAM;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_INVALID_CHN;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_NOT_CREATED;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_NOT_SUPPORTED;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_NO_BUFFER;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_TIMEOUT;
import static io.vencflow.core.seed.k230.Venc.VENC_ERR_WRONG_STATE;
import static io.vencflow.core.seed.k230.Venc.VENC_OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VencContractTest {
    private final SyntheticScene camera = new SyntheticScene("k230", 176, 144, PixelFormat.NV12);

    private Venc started(int chn, int bufNum) {
        Venc venc = new Venc(Backend.JCODEC);
        assertEquals(VENC_OK, venc.SetOutBufs(chn, bufNum, 176, 144));
        assertEquals(VENC_OK, venc.Create(chn, new ChnAttrStr(PAYLOAD_TYPE_H264, H264_PROFILE_BASELINE, 176, 144)),
                venc.lastError());
        assertEquals(VENC_OK, venc.Start(chn));
        return venc;
    }

    @Test
    void channelsOutside0To3AreRefusedAndChannel3IsAllowed() {
        Venc venc = new Venc(Backend.JCODEC);
        assertEquals(VENC_ERR_INVALID_CHN, venc.SetOutBufs(4, 8, 176, 144));
        assertEquals(VENC_ERR_INVALID_CHN, venc.Create(-1, new ChnAttrStr(PAYLOAD_TYPE_H264, 0, 176, 144)));
        assertEquals(VENC_ERR_INVALID_CHN, venc.Start(7));
        assertEquals("channel 7 is not 0..3", venc.lastError());
        Venc three = started(3, 4);
        assertEquals(VENC_OK, three.SendFrame(3, camera.render(0, 0)));
        three.close();
    }

    @Test
    void callsOutOfOrderReturnTheirNamedCodes() {
        Venc venc = new Venc(Backend.JCODEC);
        assertEquals(VENC_ERR_NOT_CREATED, venc.Start(0));
        assertEquals(VENC_ERR_NOT_CREATED, venc.SendFrame(0, camera.render(0, 0)));
        assertEquals(VENC_ERR_NOT_CREATED, venc.Destroy(0));
        assertEquals(VENC_OK, venc.Create(0, new ChnAttrStr(PAYLOAD_TYPE_H264, H264_PROFILE_BASELINE, 176, 144)));
        assertEquals(VENC_ERR_WRONG_STATE, venc.Create(0, new ChnAttrStr(PAYLOAD_TYPE_H264, H264_PROFILE_BASELINE, 176, 144)));
        assertEquals(VENC_ERR_WRONG_STATE, venc.SendFrame(0, camera.render(0, 0)));
        assertEquals("channel 0 is CREATED; SendFrame needs Start first", venc.lastError());
        assertEquals(VENC_ERR_WRONG_STATE, venc.Stop(0));
        assertEquals(VENC_OK, venc.Start(0));
        assertEquals(VENC_ERR_WRONG_STATE, venc.Start(0));
        assertEquals(VENC_OK, venc.Stop(0));
        assertEquals(VENC_OK, venc.Destroy(0));
        assertEquals(VENC_ERR_NOT_CREATED, venc.Stop(0));
    }

    @Test
    void badAttributesAreIllegalParameters() {
        Venc venc = new Venc(Backend.JCODEC);
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.SetOutBufs(0, 0, 176, 144));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.Create(0, new ChnAttrStr(26, 0, 176, 144)));
        assertTrue(venc.lastError().startsWith("payload_type 26 is not"), venc.lastError());
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.Create(0, new ChnAttrStr(PAYLOAD_TYPE_H264, 9, 176, 144)));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.Create(0, new ChnAttrStr(PAYLOAD_TYPE_H264, 0, 175, 144)));
        assertTrue(venc.lastError().contains("width 175 is odd"), venc.lastError());
        assertEquals(VENC_OK, venc.SetOutBufs(1, 4, 176, 144));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.Create(1, new ChnAttrStr(PAYLOAD_TYPE_H264, 0, 352, 288)));
    }

    @Test
    void h265IsRefusedWithANonZeroCodeWhereNoBackendEncodesIt() {
        Venc venc = new Venc(Backend.JCODEC);
        assertEquals(VENC_ERR_NOT_SUPPORTED, venc.Create(0, new ChnAttrStr(PAYLOAD_TYPE_H265, H265_PROFILE_MAIN, 176, 144)));
        assertTrue(venc.lastError().contains("H265"), venc.lastError());
    }

    @Test
    void aFrameOfTheWrongSizeIsRefusedAndTheChannelGoesOn() {
        Venc venc = started(0, 4);
        Frame big = new SyntheticScene("k230", 352, 288, PixelFormat.NV12).render(0, 0);
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.SendFrame(0, big));
        assertEquals("frame 352x288 does not match channel 0's 176x144", venc.lastError());
        assertEquals(VENC_OK, venc.SendFrame(0, camera.render(0, 0)));
        StreamData sd = new StreamData();
        assertEquals(VENC_OK, venc.GetStream(0, sd));
        assertEquals(Venc.STREAM_TYPE_HEADER, sd.stream_type[0]);
        venc.close();
    }

    @Test
    void whenEveryBufferIsHeldNewFramesAreDroppedAndCountedWithoutBlockingOrTouchingLentBuffers() {
        Venc venc = started(0, 3);
        List<StreamData> held = new ArrayList<>();
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(VENC_OK, venc.SendFrame(0, camera.render(i, i)));
            StreamData sd = new StreamData();
            assertEquals(VENC_OK, venc.GetStream(0, sd, 0));
            held.add(sd);
            copies.add(sd.packBytes(sd.pack_cnt - 1));
        }
        long start = System.nanoTime();
        for (int i = 3; i < 8; i++) {
            assertEquals(VENC_ERR_NO_BUFFER, venc.SendFrame(0, camera.render(i, i)));
        }
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "SendFrame must not block");
        assertEquals(5, venc.droppedFrames(0));
        for (int i = 0; i < 3; i++) {
            StreamData sd = held.get(i);
            assertArrayEquals(copies.get(i), sd.packBytes(sd.pack_cnt - 1), "lent buffer " + i + " changed");
        }
        assertEquals(VENC_ERR_TIMEOUT, venc.GetStream(0, new StreamData(), 50));

        // Giving one buffer back lets the next frame through.
        assertEquals(VENC_OK, venc.ReleaseStream(0, held.get(0)));
        assertNull(held.get(0).data[0], "released views are cleared");
        assertEquals(0, held.get(0).pack_cnt);
        assertEquals(VENC_OK, venc.SendFrame(0, camera.render(8, 8)));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.ReleaseStream(0, held.get(0)), "releasing twice");
        venc.close();
    }

    @Test
    void getStreamRefusesAStreamDataStillHoldingALentBuffer() {
        Venc venc = started(0, 4);
        venc.SendFrame(0, camera.render(0, 0));
        venc.SendFrame(0, camera.render(1, 1));
        StreamData sd = new StreamData();
        assertEquals(VENC_OK, venc.GetStream(0, sd));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.GetStream(0, sd));
        assertEquals(VENC_ERR_ILLEGAL_PARAM, venc.ReleaseStream(1, sd));
        assertEquals(VENC_OK, venc.ReleaseStream(0, sd));
        assertEquals(VENC_OK, venc.GetStream(0, sd));
        venc.close();
    }

    @Test
    void aWaitingGetStreamWakesWhenAnotherThreadSendsAFrame() throws Exception {
        Venc venc = started(0, 4);
        Thread camThread = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            venc.SendFrame(0, camera.render(0, 0));
        });
        camThread.start();
        StreamData sd = new StreamData();
        assertEquals(VENC_OK, venc.GetStream(0, sd, 5000));
        assertEquals(Venc.STREAM_TYPE_HEADER, sd.stream_type[0]);
        camThread.join();
        venc.close();
    }
}
