/* 纠错 widget stand-in */
