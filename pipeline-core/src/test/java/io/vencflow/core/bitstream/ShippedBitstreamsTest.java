package io.vencflow.core.bitstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our bitstream tools against other encoders' streams from shared/testdata (MANIFEST.md). */
class ShippedBitstreamsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, codec, width, height, frames, profile_idc, level_idc
        "h264/BA_MW_D.264, H264, 176, 144, 100, 66, 10",
        "h264/CVFC1_Sony_C.jsv, H264, 300, 168, 50, 66, 31",
        "h264/Cisco_Men_whisper_640x320_CABAC_Bframe_9.264, H264, 640, 320, 9, 77, -1",
        "h264/cars_320x240.h264, H264, 320, 240, 30, 100, -1",
        "h264/tos.h264, H264, 500, 208, 1000, 100, -1",
        "h265/cars_320x240.h265, H265, 320, 240, 30, 1, 60",
        "h265/bbb_720p_x265_300f.h265, H265, 1280, 720, 300, 1, 93",
    })
    void parsesSizeProfileLevelAndCountsPictures(String file, Codec codec, int width, int height, int frames,
            int profile, int level) {
        byte[] stream = TestData.readAll(TestData.bitstream(file));
        List<List<byte[]>> units = AccessUnitAssembler.split(codec, stream);
        assertEquals(frames, units.size(), "access units in " + file);

        int spsType = codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
        SequenceParameterSet sps = null;
        int spsCount = 0;
        for (List<byte[]> au : units) {
            for (byte[] nal : au) {
                if (NalUnit.type(codec, nal[0]) == spsType) {
                    sps = SequenceParameterSet.parse(codec, nal);
                    spsCount++;
                }
            }
        }
        assertTrue(spsCount > 0, "no SPS in " + file);
        assertEquals(width, sps.width(), "width of " + file);
        assertEquals(height, sps.height(), "height of " + file);
        assertEquals(profile, sps.profileIdc(), "profile of " + file);
        if (level > 0) {
            assertEquals(level, sps.levelIdc(), "level of " + file);
        }

        // libavcodec agrees on the picture count and size.
        Decoded decoded = Decoded.of(Decoded.accessUnits(codec, stream, "ref"));
        assertEquals(frames, decoded.frames().size(), "frames libavcodec decodes from " + file);
        assertEquals(width, decoded.frames().get(0).width());
        assertEquals(height, decoded.frames().get(0).height());
    }
}
