// The inkjs peer of `make bench` (run by benchmarks/peers.py from a folder where inkjs is installed).
//   node ink_walk.js compile STORY.ink STORY.json   compile ink with inkjs's own compiler
//   node ink_walk.js walk STORY.json STEPS SEED      walk it by seeded random choices; print steps per second
const fs = require('fs');
const inkjs = require(require.resolve('inkjs/full', { paths: [process.cwd()] }));

const [command, source, ...rest] = process.argv.slice(2);
if (command === 'compile') {
  const story = new inkjs.Compiler(fs.readFileSync(source, 'utf8')).Compile();
  fs.writeFileSync(rest[0], story.ToJson());
} else if (command === 'walk') {
  const story = new inkjs.Story(fs.readFileSync(source, 'utf8').replace(/^\uFEFF/, ''));
  const total = Number(rest[0] || 20000);
  let seed = Number(rest[1] || 1);
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  let steps = 0;
  const start = process.hrtime.bigint();
  while (steps < total) {
    story.ContinueMaximally();
    const offered = story.currentChoices.length;
    if (offered === 0) { story.ResetState(); continue; }
    story.ChooseChoiceIndex(Math.floor(random() * offered));
    steps++;
  }
  console.log(steps / (Number(process.hrtime.bigint() - start) / 1e9));
} else {
  console.error('usage: ink_walk.js compile|walk ...');
  process.exit(2);
}
