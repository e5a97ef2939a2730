package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of an RTSP connection, in both directions of use (server and push client): cuts
 * the byte stream into whole RTSP messages (passed on as one {@link ByteBuf} each, for
 * {@code RtspDecoder}) and interleaved binary frames ({@link InterleavedFrame}), which share the
 * connection (RFC 2326 10.12).
 *
 * <p>It enforces the limits: request line and head size, header count, body size, and the time a
 * message may take to arrive once its first byte came (a client trickling a request byte by byte is
 * cut off). A message over a limit becomes a {@link RejectedRequest}, after which everything the
 * connection sends is discarded: the next handler answers and closes.
 */
public final class InterleavedSplitter extends ByteToMessageDecoder {
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final int maxContentBytes;
    private final long requestTimeoutMs;
    /** Blank lines tolerated between messages; more are a client sending nothing but line ends. */
    static final int MAX_BLANK_LINES = 8;

    private ScheduledFuture<?> timer;
    private boolean rejected;
    private int blankLines;

    public InterleavedSplitter(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, int maxContentBytes,
            long requestTimeoutMs) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.maxContentBytes = maxContentBytes;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!rejected && in.isReadable()) {
            int start = in.readerIndex();
            byte first = in.getByte(start);
            if (first == '\r' || first == '\n') {
                in.skipBytes(1); // blank lines between messages are tolerated, a few
                if (first == '\n' && ++blankLines > MAX_BLANK_LINES) {
                    reject(in, out, HttpResponseStatus.BAD_REQUEST, "Blank lines instead of a request");
                    return;
                }
                continue;
            }
            blankLines = 0;
            if (first == '$') {
                if (in.readableBytes() < 4 || in.readableBytes() < 4 + in.getUnsignedShort(start + 2)) {
                    armTimer(ctx);
                    return;
                }
                int channel = in.getUnsignedByte(start + 1);
                int length = in.getUnsignedShort(start + 2);
                in.skipBytes(4);
                out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                cancelTimer();
                continue;
            }
            if (!isTokenStart(first)) {
                reject(in, out, HttpResponseStatus.BAD_REQUEST, "Not an RTSP request");
                return;
            }
            int headEnd = findHeadEnd(in, out);
            if (headEnd < 0) {
                if (!rejected) {
                    armTimer(ctx);
                }
                return;
            }
            long contentLength = contentLength(in, start, headEnd, out);
            if (contentLength < 0) {
                return;
            }
            int total = headEnd - start + (int) contentLength;
            if (in.readableBytes() < total) {
                armTimer(ctx);
                return;
            }
            out.add(in.readRetainedSlice(total));
            cancelTimer();
        }
        if (rejected) {
            in.skipBytes(in.readableBytes());
        }
    }

    private static boolean isTokenStart(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_';
    }

    /**
     * The index just after the blank line ending the message head, or -1 when the head is not complete
     * yet (or broke a limit, which rejects it).
     */
    private int findHeadEnd(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        int lines = 0;
        int lineStart = start;
        for (int i = start; i < limit; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            int lineLength = i - lineStart;
            if (lines == 0 && lineLength > maxRequestLineBytes) {
                reject(in, out, RtspResponseStatuses.REQUEST_URI_TOO_LONG, "Request line too long");
                return -1;
            }
            boolean blank = lineLength == 0 || (lineLength == 1 && in.getByte(lineStart) == '\r');
            if (blank && lines > 0) {
                return i + 1;
            }
            lines++;
            if (lines > maxHeaderCount + 1) {
                reject(in, out, HttpResponseStatus.BAD_REQUEST, "Too many headers");
                return -1;
            }
            lineStart = i + 1;
            if (i + 1 - start > maxHeaderBytes) {
                reject(in, out, HttpResponseStatus.BAD_REQUEST, "Request head too large");
                return -1;
            }
        }
        if (lines == 0 && limit - start > maxRequestLineBytes) {
            reject(in, out, RtspResponseStatuses.REQUEST_URI_TOO_LONG, "Request line too long");
        } else if (limit - start > maxHeaderBytes) {
            reject(in, out, HttpResponseStatus.BAD_REQUEST, "Request head too large");
        }
        return -1;
    }

    /** The Content-Length of the head in {@code [start, end)}: 0 when absent, -1 after rejecting a bad one. */
    private long contentLength(ByteBuf in, int start, int end, List<Object> out) {
        long found = 0;
        boolean seen = false;
        int lineStart = start;
        for (int i = start; i < end; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i - lineStart > CONTENT_LENGTH.length && startsWithIgnoreCase(in, lineStart, CONTENT_LENGTH)) {
                int p = lineStart + CONTENT_LENGTH.length;
                while (p < i && (in.getByte(p) == ' ' || in.getByte(p) == '\t')) {
                    p++;
                }
                if (p < i && in.getByte(p) == ':') {
                    long value = parseLength(in, p + 1, i);
                    if (value < 0 || (seen && value != found)) {
                        reject(in, out, HttpResponseStatus.BAD_REQUEST, "Invalid Content-Length");
                        return -1;
                    }
                    if (value > maxContentBytes) {
                        reject(in, out, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large");
                        return -1;
                    }
                    found = value;
                    seen = true;
                }
            }
            lineStart = i + 1;
        }
        return found;
    }

    private static boolean startsWithIgnoreCase(ByteBuf in, int at, byte[] lowerAscii) {
        for (int k = 0; k < lowerAscii.length; k++) {
            int b = in.getByte(at + k);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerAscii[k]) {
                return false;
            }
        }
        return true;
    }

    /** A decimal length between {@code from} and the line end, blanks around it; -1 when not one. */
    private static long parseLength(ByteBuf in, int from, int lineEnd) {
        int end = lineEnd;
        while (end > from && (in.getByte(end - 1) == '\r' || in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) {
            end--;
        }
        while (from < end && (in.getByte(from) == ' ' || in.getByte(from) == '\t')) {
            from++;
        }
        if (from == end || end - from > 9) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < end; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private void reject(ByteBuf in, List<Object> out, HttpResponseStatus status, String reason) {
        rejected = true;
        cancelTimer();
        in.skipBytes(in.readableBytes());
        out.add(new RejectedRequest(status, reason));
    }

    private void armTimer(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (!rejected && ctx.channel().isActive()) {
                rejected = true;
                ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.REQUEST_TIMEOUT,
                        "Request not complete within " + requestTimeoutMs + " ms"));
            }
        }, requestTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.channelInactive(ctx);
    }
}
