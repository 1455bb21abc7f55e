package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PipelineStatusTest {

  @Test
  void readyOnlyWhileStreamsRunsLiveWithEveryWorkerLoaded() {
    assertThat(PipelineStatus.ready("RUNNING", true, true)).isTrue();
    assertThat(PipelineStatus.ready("REBALANCING", true, true)).as("a rebalance is not ready").isFalse();
    assertThat(PipelineStatus.ready("RUNNING", false, true)).as("failed").isFalse();
    assertThat(PipelineStatus.ready("RUNNING", true, false)).as("workers loading").isFalse();
    assertThat(PipelineStatus.ready("CREATED", true, true)).isFalse();
  }
}
