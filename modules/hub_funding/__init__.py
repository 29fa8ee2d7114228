# This file is part of Pôle.  Classes are registered in tryton.cfg.
