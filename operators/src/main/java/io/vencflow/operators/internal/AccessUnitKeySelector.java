package io.vencflow.operators.internal;

import io.vencflow.core.codec.EncodedFrame;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys access units by their channel id. */
public final class AccessUnitKeySelector implements KeySelector<EncodedFrame, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(EncodedFrame au) {
        return au.channel();
    }
}
