from scarf_tui.cli import main

raise SystemExit(main())
