package io.vencflow.operators.serialization;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a vencflow record serializer: its version number is the version of the record
 * layout, and it carries nothing else (the serializers have no configuration).
 *
 * <p>A savepoint stores the snapshot beside the data. A later vencflow that changes a layout raises
 * {@link #currentVersion()}, keeps reading the old layout through {@link #restoreSerializer(int)}
 * and answers "compatible after migration", so Flink rewrites old state in the new layout. A
 * snapshot from a version this build does not know (a savepoint from a later vencflow) is refused
 * with an {@link IOException} that says so, never read as garbage.
 *
 * <p>Subclasses need a public no-argument constructor: Flink instantiates them by class name.
 */
public abstract class RecordSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
    private int readVersion;

    protected RecordSerializerSnapshot() {
        this.readVersion = currentVersion();
    }

    /** The layout version this build writes. */
    protected abstract int currentVersion();

    /** A serializer that reads layout {@code version} (1..{@link #currentVersion()}). */
    protected abstract TypeSerializer<T> restoreSerializer(int version);

    /** The record's name in error messages, e.g. "Frame". */
    protected abstract String recordName();

    /** The layout version of the data this snapshot describes. */
    public final int readVersion() {
        return readVersion;
    }

    @Override
    public final int getCurrentVersion() {
        return currentVersion();
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {
        // The version number written in front by Flink is all there is.
    }

    @Override
    public final void readSnapshot(int version, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (version < 1 || version > currentVersion()) {
            throw new IOException(recordName() + " serializer snapshot version " + version + " is unknown; this vencflow"
                    + " reads versions 1.." + currentVersion() + " (was the savepoint written by a later vencflow?)");
        }
        this.readVersion = version;
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        return restoreSerializer(readVersion);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot == null || oldSnapshot.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int oldVersion = ((RecordSerializerSnapshot<T>) oldSnapshot).readVersion;
        return oldVersion == currentVersion()
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }

    @Override
    public String toString() {
        return recordName() + " serializer snapshot v" + readVersion;
    }
}
