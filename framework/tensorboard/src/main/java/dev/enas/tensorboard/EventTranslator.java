package dev.enas.tensorboard;

import dev.enas.proto.ChildStep;
import dev.enas.proto.ControllerUpdate;
import dev.enas.proto.EpochEnd;
import dev.enas.proto.tensorboard.Event;
import dev.enas.proto.tensorboard.Summary;
import java.util.List;

/**
 * Maps a search's events ({@code events.pb}) to TensorBoard summaries. Child steps are plotted against the child
 * step, controller updates against their number (1, 2, ...: a whole controller phase shares one child step), epoch
 * ends against the epoch (1, 2, ...). The translator counts controller updates and remembers the last epoch's end,
 * so it must see a log's events in order from its first.
 */
public final class EventTranslator {
  public static final String CHILD_LOSS = "child/loss";
  public static final String CHILD_ACCURACY = "child/accuracy";
  public static final String CHILD_LEARNING_RATE = "child/learning_rate";
  public static final String CONTROLLER_MEAN_REWARD = "controller/mean_reward";
  public static final String CONTROLLER_BEST_REWARD = "controller/best_reward";
  public static final String CONTROLLER_BASELINE = "controller/baseline";
  public static final String CONTROLLER_ENTROPY = "controller/entropy";
  public static final String CONTROLLER_LOSS = "controller/loss";
  /** The best architecture of the update's samples, as the space's string. */
  public static final String CONTROLLER_BEST_ARCH = "controller/best_arch";
  public static final String EPOCH_MEAN_CHILD_LOSS = "epoch/mean_child_loss";
  public static final String EPOCH_MEAN_REWARD = "epoch/mean_reward";
  public static final String EPOCH_SECONDS = "epoch/seconds";
  public static final String EPOCH_SHARED_SECONDS = "epoch/shared_seconds";
  public static final String EPOCH_CONTROLLER_SECONDS = "epoch/controller_seconds";
  /** Throughput of the shared phase: children trained (one batch each) per second. */
  public static final String EPOCH_CHILDREN_PER_SECOND = "epoch/children_per_second";

  private long controllerUpdates;
  private long stepAtLastEpochEnd;

  /** The TensorBoard events for one of ours (none for a kind it does not know). */
  public List<Event> translate(dev.enas.proto.Event e) {
    double wallTime = e.getUnixMillis() / 1000.0;
    switch (e.getKindCase()) {
      case CHILD_STEP: {
        ChildStep c = e.getChildStep();
        return List.of(event(wallTime, e.getStep(), Summary.newBuilder()
            .addValue(Summaries.scalar(CHILD_LOSS, c.getLoss()))
            .addValue(Summaries.scalar(CHILD_ACCURACY, c.getAccuracy()))
            .addValue(Summaries.scalar(CHILD_LEARNING_RATE, c.getLearningRate()))));
      }
      case CONTROLLER_UPDATE: {
        ControllerUpdate u = e.getControllerUpdate();
        Summary.Builder s = Summary.newBuilder()
            .addValue(Summaries.scalar(CONTROLLER_MEAN_REWARD, u.getMeanReward()))
            .addValue(Summaries.scalar(CONTROLLER_BASELINE, u.getBaseline()))
            .addValue(Summaries.scalar(CONTROLLER_ENTROPY, u.getEntropy()))
            .addValue(Summaries.scalar(CONTROLLER_LOSS, u.getLoss()));
        // logs written before best_reward existed do not have it: nothing is plotted rather than a false 0
        if (u.hasBestReward()) {
          s.addValue(Summaries.scalar(CONTROLLER_BEST_REWARD, u.getBestReward()));
        }
        if (!u.getBestArchString().isEmpty()) {
          s.addValue(Summaries.text(CONTROLLER_BEST_ARCH, u.getBestArchString()));
        }
        return List.of(event(wallTime, ++controllerUpdates, s));
      }
      case EPOCH_END: {
        EpochEnd end = e.getEpochEnd();
        Summary.Builder s = Summary.newBuilder()
            .addValue(Summaries.scalar(EPOCH_MEAN_CHILD_LOSS, end.getMeanChildLoss()))
            .addValue(Summaries.scalar(EPOCH_MEAN_REWARD, end.getMeanReward()))
            .addValue(Summaries.scalar(EPOCH_SECONDS, end.getSeconds()))
            .addValue(Summaries.scalar(EPOCH_SHARED_SECONDS, end.getSharedSeconds()))
            .addValue(Summaries.scalar(EPOCH_CONTROLLER_SECONDS, end.getControllerSeconds()));
        long children = e.getStep() - stepAtLastEpochEnd;
        stepAtLastEpochEnd = e.getStep();
        if (end.getSharedSeconds() > 0 && children > 0) {
          s.addValue(Summaries.scalar(EPOCH_CHILDREN_PER_SECOND, children / end.getSharedSeconds()));
        }
        return List.of(event(wallTime, e.getEpoch() + 1L, s));
      }
      default:
        return List.of();
    }
  }

  private static Event event(double wallTime, long step, Summary.Builder s) {
    return Event.newBuilder().setWallTime(wallTime).setStep(step).setSummary(s).build();
  }
}
