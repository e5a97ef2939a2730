package io.vencflow.operators.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.operators.serialization.RecordSerializerSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Golden files: a serializer snapshot and one record as layout version 1 wrote them, kept in the test
 * resources ({@code serialization/v1/<name>.bin}) and read by every later build, which must get the
 * same record back. That is what a savepoint taken now needs from a later vencflow.
 *
 * <p>A missing file fails the check. With {@code -Dvencflow.writeGolden=true} a missing file is first
 * written from the current serializer (for a new record type only; existing files are never rewritten).
 */
public final class Golden {
    private Golden() {
    }

    public static <T> void check(String name, TypeSerializer<T> serializer, T expected, DeeplyEqualsChecker equality)
            throws IOException {
        String resource = "serialization/v1/" + name + ".bin";
        Path source = Path.of("src/test/resources", resource);
        if (Boolean.getBoolean("vencflow.writeGolden") && !Files.exists(source)) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
            serializer.serialize(expected, out);
            Files.createDirectories(source.getParent());
            Files.write(source, out.getCopyOfBuffer());
        }
        byte[] bytes;
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                bytes = Files.exists(source) ? Files.readAllBytes(source) : null;
            } else {
                bytes = in.readAllBytes();
            }
        }
        assertTrue(bytes != null, "golden file " + source + " is missing");
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<T> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(in,
                Golden.class.getClassLoader());
        assertTrue(snapshot instanceof RecordSerializerSnapshot<T>, name + ": " + snapshot);
        assertEquals(1, ((RecordSerializerSnapshot<T>) snapshot).readVersion());
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(snapshot).isCompatibleAsIs(), name);
        T record = snapshot.restoreSerializer().deserialize(in);
        assertEquals(0, in.available(), "bytes left after the " + name + " record");
        assertTrue(equality.deepEquals(expected, record), name + ": read " + record + ", expected " + expected);
    }
}
