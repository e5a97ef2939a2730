package io.vencflow.core.wire;

import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.nio.charset.StandardCharsets;

/** Reads and writes the key and the UTF-8 decimal headers, with the checks both record kinds share. */
final class HeaderText {
    /** Longer values are refused before they are looked at: no decimal long needs more. */
    private static final int MAX_TEXT_BYTES = 64;

    private HeaderText() {
    }

    static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String channel(WireRecord record) throws MalformedRecordException {
        byte[] key = record.key();
        if (key == null || key.length == 0) {
            throw new MalformedRecordException(Problem.MISSING_KEY, "record has " + (key == null ? "no" : "an empty")
                    + " key; the key is the channel id (1-64 of [A-Za-z0-9._-])");
        }
        String channel = new String(key, StandardCharsets.UTF_8);
        if (!ChannelId.isValid(channel)) {
            try {
                ChannelId.check(channel);
            } catch (IllegalArgumentException e) {
                throw new MalformedRecordException(Problem.INVALID_CHANNEL, "record key: " + e.getMessage());
            }
        }
        return channel;
    }

    /** The header as text; throws when it is absent. */
    static String text(WireRecord record, String name) throws MalformedRecordException {
        byte[] v = record.header(name);
        if (v == null) {
            throw new MalformedRecordException(Problem.MISSING_HEADER, "record has no " + name + " header");
        }
        if (v.length > MAX_TEXT_BYTES) {
            throw new MalformedRecordException(Problem.INVALID_HEADER, "header " + name + " has " + v.length
                    + " bytes; expected at most " + MAX_TEXT_BYTES);
        }
        return new String(v, StandardCharsets.UTF_8);
    }

    /** The header as a decimal number in {@code [min, max]}. */
    static long number(WireRecord record, String name, long min, long max) throws MalformedRecordException {
        String s = text(record, name);
        if (!isDecimal(s)) {
            throw new MalformedRecordException(Problem.INVALID_HEADER, "header " + name + " is '" + printable(s)
                    + "'; expected UTF-8 decimal text in " + min + ".." + max);
        }
        long value;
        try {
            value = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(Problem.INVALID_HEADER, "header " + name + " is " + s
                    + ", beyond a 64-bit number; expected " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw new MalformedRecordException(Problem.INVALID_HEADER, "header " + name + " is " + value
                    + "; expected " + min + ".." + max);
        }
        return value;
    }

    /** Optional minus sign, then ASCII digits: what {@link #number(long)} writes, nothing more. */
    private static boolean isDecimal(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }
}
