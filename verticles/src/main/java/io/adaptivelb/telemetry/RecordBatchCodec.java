package io.adaptivelb.telemetry;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Local delivery passes the immutable batch by reference; across a cluster it travels as JSON
 * (the shape documented in the README).
 */
public final class RecordBatchCodec implements MessageCodec<RecordBatch, RecordBatch> {

  /** Registers the codec once per Vert.x instance, however many verticles ask. */
  public static synchronized void install(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(RecordBatch.class, new RecordBatchCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another deployment of the lab in this Vert.x instance registered it first.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, RecordBatch batch) {
    Buffer json = batch.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public RecordBatch decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return RecordBatch.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public RecordBatch transform(RecordBatch batch) {
    return batch;
  }

  @Override
  public String name() {
    return "adaptive-lb.record-batch";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
