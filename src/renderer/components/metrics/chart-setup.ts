import { Chart, Filler, LinearScale, LineController, LineElement, PointElement, TimeScale, Tooltip } from 'chart.js';
import 'chartjs-adapter-date-fns';

/** chart.js with only what the metrics charts use (tree-shaken), registered once. */
Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Filler, Tooltip);

export { Chart };
