package io.vencflow.core.frame;

import java.util.regex.Pattern;

/**
 * The rule for channel ids. A channel id names a camera; it becomes a Kafka key, an RTSP path and a
 * folder name in the archive, so it is restricted to characters safe in all three.
 */
public final class ChannelId {
    /** The longest id accepted. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ChannelId() {
    }

    /** Returns {@code id} when it is valid, and throws otherwise, naming the id and the rule. */
    public static String check(String id) {
        if (id == null) {
            throw new IllegalArgumentException("channel id is null; expected 1-64 of [A-Za-z0-9._-]");
        }
        if (!ALLOWED.matcher(id).matches()) {
            throw new IllegalArgumentException("channel id '" + printable(id)
                    + "' is not 1-64 of [A-Za-z0-9._-]");
        }
        if (id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("channel id '" + id + "' is reserved: it would name a folder outside the archive");
        }
        return id;
    }

    /** Whether {@code id} is a valid channel id. */
    public static boolean isValid(String id) {
        return id != null && ALLOWED.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
